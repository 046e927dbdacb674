# Seeded bug: klp_shadow_free_all stops after the first match
# (spec mutant FreeAllStopsAfterFirst).  The break leaves the entry pointer
# non-NULL, which also ends hash_for_each's bucket loop.
/^void klp_shadow_free_all(/,/^}/{
s/klp_shadow_free_struct(shadow, dtor);/{ klp_shadow_free_struct(shadow, dtor); break; }/
}
