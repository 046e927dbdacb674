# Seeded bug (VM check, needs concurrency): obj and id of the new entry are set after
# hash_add_rcu, which hashes the obj argument (so the entry still lands in its bucket).
# A lock-free reader walking the bucket can see the entry before its fields are set; the
# stores are still done before the unlock, so writers never see it half-made: the histories
# stay linearizable, and KCSAN (plain stores racing with the readers' loads) is expected to be
# what catches it.
# Usage: perl -0 -p set-after-publish.pl < shadow.c
s{\n\tnew_shadow->obj = obj;\n\tnew_shadow->id = id;\n(.*?)\thash_add_rcu\(klp_shadow_hash, &new_shadow->node,\n\t+ *\(unsigned long\)new_shadow->obj\);\n}{\n$1\thash_add_rcu(klp_shadow_hash, &new_shadow->node,\n\t\t     (unsigned long)obj);\n\tnew_shadow->obj = obj;\n\tnew_shadow->id = id;\n}s or die "set-after-publish: pattern not found\n";
