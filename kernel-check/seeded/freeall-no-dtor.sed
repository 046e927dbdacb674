# Seeded bug: klp_shadow_free_all does not call the destructor
# (spec mutant: DtorGiven = FALSE in freeAll only; see the table in README).
/^void klp_shadow_free_all(/,/^}/{
s/klp_shadow_free_struct(shadow, dtor);/klp_shadow_free_struct(shadow, NULL);/
}
