# Seeded bug: klp_shadow_get walks without rcu_read_lock (spec mutant NoReadLock).
/^void \*klp_shadow_get(/,/^}/{
s/rcu_read_lock();//
s/rcu_read_unlock();//
}
