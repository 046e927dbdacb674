/* shim_test.h - what the kernel-check drivers (selftest, corpus, stress)
 * use of the shim runtime: counters, fault injection, hooks, scenarios.
 * Written for this project. */
#ifndef SHIM_TEST_H
#define SHIM_TEST_H
#include <stdint.h>
#include <stdio.h>
#include "kshim.h"

extern FILE *shim_log;
extern long shim_warnings, shim_errors, shim_lockdep_splats;
extern long shim_alloc_ok, shim_alloc_failed, shim_kfreed, shim_rcu_freed;
extern __thread int shim_alloc_fail_next;
extern __thread long shim_alloc_attempts, shim_alloc_failures;
extern int shim_alloc_fail_permille;
extern const char *shim_rcu_flavour;
uint64_t shim_rand(void);
void shim_seed_thread(uint64_t seed);
void shim_register_thread(void);
void shim_reclaimer_pause(int paused);
int shim_try_reclaim_now(void);
extern int shim_tracing;
extern __thread void (*shim_after_step)(void);
void shim_trace_begin(void);
void shim_trace_end(void);
#endif
