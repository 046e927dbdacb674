/* trace_layout.h - what kernel-check/layout.c gives the trace recorder:
 * an entry's fields read through the struct klp_shadow of the shadow.c
 * under check.  Written for this project. */
#ifndef TRACE_LAYOUT_H
#define TRACE_LAYOUT_H
const void *trace_layout_block_of_node(const void *node);
const void *trace_layout_block_of_data(const void *data);
const void *trace_layout_obj(const void *block);
unsigned long trace_layout_id(const void *block);
#endif
