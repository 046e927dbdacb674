/* Shim for <linux/list.h>: list_head, hlist_head, hlist_node and their walks.
 * Written for this project; the definitions, what kernel primitive each
 * stands for and why the substitution is faithful are in ../kshim.h. */
#ifndef SHIM_LINUX_LIST_H
#define SHIM_LINUX_LIST_H
#include "../kshim.h"
#endif
