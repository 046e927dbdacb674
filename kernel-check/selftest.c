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

int main(void)
{
	int ret;

	shim_log = stdout;
	printf("%% insmod test_modules/test_klp_shadow_vars.ko\n");
	ret = shim_module_init();
	if (ret)
		printf("insmod: ERROR: could not insert module: module init returned %d\n", ret);
	printf("%% rmmod test_klp_shadow_vars\n");
	shim_module_exit();
	rcu_barrier();
	fprintf(stderr, "selftest: init returned %d; kzalloc ok %ld, kfree %ld, kfree_rcu freed %ld, warnings %ld\n",
		ret, shim_alloc_ok, shim_kfreed, shim_rcu_freed, shim_warnings);
	return ret ? 1 : 0;
}
