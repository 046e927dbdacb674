/* Shim for <linux/slab.h>: kzalloc, kmalloc, kfree, kfree_rcu, gfp_t.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_SLAB_H
#define SHIM_LINUX_SLAB_H
#include "../kshim.h"
#endif
