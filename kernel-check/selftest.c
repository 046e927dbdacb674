/*
 * selftest.c - runs the kernel's selftest module test_klp_shadow_vars.c
 * (compiled from the package, unmodified, against the shims) the way
 * tools/testing/selftests/livepatch/functions.sh does: "% insmod ..." and
 * "% rmmod ..." lines around the module's log, so that kernel-check/run
 * can compare the log with the expected text of test-shadow-vars.sh.
 * Written for this project.
 */
#include <stdio.h>
#include "shim/shim_test.h"

int shim_module_init(void);
void shim_module_exit(void);

/* argv[1], argv[2]: the load and unload lines the selftest script's
 * functions.sh echoes (they differ between kernel versions). */
int main(int argc, char **argv)
{
	int ret;
	const char *load = argc > 1 ? argv[1] : "% insmod test_modules/test_klp_shadow_vars.ko";
	const char *unload = argc > 2 ? argv[2] : "% rmmod test_klp_shadow_vars";

	shim_log = stdout;
	printf("%s\n", load);
	ret = shim_module_init();
	if (ret)
		printf("insmod: ERROR: could not insert module: module init returned %d\n", ret);
	printf("%s\n", unload);
	shim_module_exit();
	rcu_barrier();
	fprintf(stderr, "selftest: init returned %d; kzalloc ok %ld, kfree %ld, kfree_rcu freed %ld, warnings %ld\n",
		ret, shim_alloc_ok, shim_kfreed, shim_rcu_freed, shim_warnings);
	return ret ? 1 : 0;
}
