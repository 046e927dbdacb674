/* Shim for <linux/spinlock.h>: spinlock_t, spin_lock_irqsave/spin_unlock_irqrestore.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_SPINLOCK_H
#define SHIM_LINUX_SPINLOCK_H
#include "../kshim.h"
#endif
