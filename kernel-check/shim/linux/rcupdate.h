/* Shim for <linux/rcupdate.h>: rcu_read_lock/unlock, call_rcu, rcu_assign_pointer, rcu_dereference.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_RCUPDATE_H
#define SHIM_LINUX_RCUPDATE_H
#include "../kshim.h"
#endif
