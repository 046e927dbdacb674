/* Shim for <linux/types.h>: gfp_t, bool, size_t.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_TYPES_H
#define SHIM_LINUX_TYPES_H
#include "../kshim.h"
#endif
