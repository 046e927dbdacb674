# Seeded bug: no re-check under the lock (spec mutant NoRecheck).
# The lookup right after spin_lock_irqsave in __klp_shadow_get_or_alloc is
# replaced by "not found".
/spin_lock_irqsave(&klp_shadow_lock, flags);/{
n
s/shadow_data = klp_shadow_get(obj, id);/shadow_data = NULL;/
}
