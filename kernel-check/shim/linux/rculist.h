/* Shim for <linux/rculist.h>: hlist_add_head_rcu, hlist_del_rcu, hlist_for_each_entry_rcu.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_RCULIST_H
#define SHIM_LINUX_RCULIST_H
#include "../kshim.h"
#endif
