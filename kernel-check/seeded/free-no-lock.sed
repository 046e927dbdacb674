# Seeded bug: klp_shadow_free without klp_shadow_lock (spec mutant FreeWithoutLock).
/^void klp_shadow_free(/,/^}/{
/spin_lock_irqsave/d
/spin_unlock_irqrestore/d
}
