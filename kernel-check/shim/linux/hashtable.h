/* Shim for <linux/hashtable.h>: DEFINE_HASHTABLE, hash_min, hash_add_rcu, hash_del_rcu, hash_for_each*.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_HASHTABLE_H
#define SHIM_LINUX_HASHTABLE_H
#include "../kshim.h"
#endif
