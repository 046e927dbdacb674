/*
 * urcu_backend.c - the shim's RCU on liburcu's "memb" flavour.
 * Why memb: its readers are a per-thread nesting counter with no fence on
 * the fast path (like the kernel's rcu_read_lock, which costs nothing or a
 * preempt count), and its grace periods use membarrier(2) to order the
 * readers (falling back to fences where membarrier is unavailable).  The
 * "mb" flavour puts a full fence in every reader (stronger than the
 * kernel), "qsbr" needs explicit quiescent states the kernel code does not
 * announce, "signal" and "bp" add signal handling or thread discovery that
 * a stress run does not need.
 * Threads register on their first read lock and unregister when they exit.
 * Written for this project.
 */
#include <pthread.h>
#include <urcu/urcu-memb.h>

static __thread int registered;
static pthread_key_t reg_key;
static pthread_once_t reg_once = PTHREAD_ONCE_INIT;

static void unreg(void *arg)
{
	(void)arg;
	urcu_memb_unregister_thread();
}

static void reg_init(void)
{
	pthread_key_create(&reg_key, unreg);
}

void shim_urcu_register(void)
{
	if (registered)
		return;
	pthread_once(&reg_once, reg_init);
	urcu_memb_register_thread();
	pthread_setspecific(reg_key, (void *)1);
	registered = 1;
}

void shim_urcu_read_lock(void) { urcu_memb_read_lock(); }
void shim_urcu_read_unlock(void) { urcu_memb_read_unlock(); }
void shim_urcu_synchronize(void) { urcu_memb_synchronize_rcu(); }
