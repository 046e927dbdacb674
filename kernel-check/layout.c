/*
 * layout.c - the shadow.c under check, compiled together with the few
 * accessors the trace recorder (trace.c) needs to read an entry's memory.
 *
 * The file named by SHADOW_C (kernel-check/run passes the one under check)
 * is included here whole and compiled unmodified; the accessors below take
 * offsetof on ITS struct klp_shadow, so the recorder reads obj, id and the
 * data area where that shadow.c puts them (a change of the struct is
 * followed, never copied).  The trace build links this object instead of
 * shadow.o; every other build uses shadow.o as before.
 *
 * Written for this project.
 */
#ifndef SHADOW_C
#error "compile with -DSHADOW_C='\"path/to/shadow.c\"'"
#endif
#include SHADOW_C

#include "trace_layout.h"

/* The entry (the allocation kzalloc returned) a hash node belongs to. */
const void *trace_layout_block_of_node(const void *node)
{
	return node ? (const char *)node - offsetof(struct klp_shadow, node) : NULL;
}

/* The entry whose data area starts at data (what the API returns and the
 * constructor and destructor are given). */
const void *trace_layout_block_of_data(const void *data)
{
	return data ? (const char *)data - offsetof(struct klp_shadow, data) : NULL;
}

/* The obj and id fields of an entry, as they are in its memory now. */
const void *trace_layout_obj(const void *block)
{
	return __atomic_load_n(&((const struct klp_shadow *)block)->obj, __ATOMIC_RELAXED);
}

unsigned long trace_layout_id(const void *block)
{
	return __atomic_load_n(&((const struct klp_shadow *)block)->id, __ATOMIC_RELAXED);
}
