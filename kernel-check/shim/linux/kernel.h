/* Shim for <linux/kernel.h>: pr_info, pr_err, WARN, container_of.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_KERNEL_H
#define SHIM_LINUX_KERNEL_H
#include "../kshim.h"
#endif
