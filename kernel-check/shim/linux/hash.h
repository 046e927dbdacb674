/* Shim for <linux/hash.h>: hash_32, hash_64, hash_long.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_HASH_H
#define SHIM_LINUX_HASH_H
#include "../kshim.h"
#endif
