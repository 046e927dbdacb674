# Seeded bug (VM check, needs concurrency): a lost race in get_or_alloc returns NULL
# instead of the winner's data. In __klp_shadow_get_or_alloc the re-check under the lock
# finds the entry another thread added meanwhile; this returns NULL there (after freeing the
# speculative entry) instead of going to "exists". Only a race reaches the branch.
/throw away speculative/,/goto exists;/{
s/goto exists;/return NULL;/
}
