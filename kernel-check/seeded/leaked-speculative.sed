# Seeded bug: the speculative entry of a lost race is not freed
# (spec mutant LostRaceLeak).
/throw away speculative/,/goto exists;/{
s/kfree(new_shadow);//
}
