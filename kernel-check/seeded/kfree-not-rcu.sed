# Seeded bug: kfree instead of kfree_rcu (spec mutant PlainFree).
s/kfree_rcu(shadow, rcu_head);/kfree(shadow);/
