/* Shim for <linux/livepatch.h>: the shadow-variable API declarations (klp_shadow_*), the ctor/dtor types.
 * Written for this project; see ../kshim.h for each primitive and why the
 * substitution is faithful.  The prototypes are those of the kernel's
 * documented API (Documentation/livepatch/shadow-vars.rst). */
#ifndef SHIM_LINUX_LIVEPATCH_H
#define SHIM_LINUX_LIVEPATCH_H
#include "../kshim.h"
typedef int (*klp_shadow_ctor_t)(void *obj, void *shadow_data, void *ctor_data);
typedef void (*klp_shadow_dtor_t)(void *obj, void *shadow_data);
void *klp_shadow_get(void *obj, unsigned long id);
void *klp_shadow_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags,
		       klp_shadow_ctor_t ctor, void *ctor_data);
void *klp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags,
			      klp_shadow_ctor_t ctor, void *ctor_data);
void klp_shadow_free(void *obj, unsigned long id, klp_shadow_dtor_t dtor);
void klp_shadow_free_all(unsigned long id, klp_shadow_dtor_t dtor);
#endif
