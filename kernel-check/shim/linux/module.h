/* Shim for <linux/module.h>: module_init, module_exit, MODULE_*.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_MODULE_H
#define SHIM_LINUX_MODULE_H
#include "../kshim.h"
#endif
