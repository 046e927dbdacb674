/*
 * kshim.h - the userspace stand-ins for the kernel primitives that
 * kernel/livepatch/shadow.c and the selftest module test_klp_shadow_vars.c
 * use, so that gcc compiles both files UNMODIFIED (they are taken from
 * Debian's linux-source package at check time and never copied here).
 *
 * Written for this project (none of it is kernel text).  Every section
 * names the kernel primitive it stands for and why the substitution keeps
 * the property the shadow-variable code relies on; what is lost is said
 * too.  The linux/ headers next to this one only include it.
 *
 * Build switches (set by kernel-check/run, never by the sources):
 *   SHIM_RCU_RWLOCK   RCU built on a pthread rwlock (ThreadSanitizer can see
 *                     its happens-before edges; liburcu's fences it cannot).
 *                     Default: liburcu's "memb" flavour.
 *   SHIM_PLAIN_PUBLISH  seeded: rcu_assign_pointer is a plain store
 *   SHIM_PLAIN_DEREF    seeded: rcu_dereference is a plain load
 *   SHIM_DEL_CLEARS_NEXT seeded: hlist_del_rcu clears the forward link
 *   SHIM_LOCK_NOT_READER seeded: the spinlock holder is not an RCU reader
 */
#ifndef KSHIM_H
#define KSHIM_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * linux/compiler.h, linux/kernel.h basics.
 * typeof, container_of, likely/unlikely, READ_ONCE/WRITE_ONCE.
 * READ_ONCE/WRITE_ONCE: the kernel's volatile single-copy accesses; here a
 * relaxed __atomic access, which is what the C11 memory model calls them
 * (single-copy atomic, no ordering), and which ThreadSanitizer understands.
 * --------------------------------------------------------------------- */
#define typeof __typeof__
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define __init
#define __exit
#define __rcu
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL(s)
#define MODULE_LICENSE(s)
#define MODULE_AUTHOR(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_INFO(a, b)

/* module_init/module_exit: the module's load and unload functions; the
 * selftest driver calls them where insmod and rmmod would. */
#define module_init(fn) int shim_module_init(void) { return fn(); }
#define module_exit(fn) void shim_module_exit(void) { fn(); }

/* ---------------------------------------------------------------------
 * printk: pr_info / pr_err / WARN write to the shim's log (kernel-check
 * compares it with the selftest's expected dmesg).  The format is the
 * kernel's vsprintf dialect: %p followed by letters is a kernel pointer
 * extension (%pGg prints gfp flags by name, as the kernel does); plain %p
 * prints a pointer.  WARN(cond, ...) logs "WARNING: " and the message when
 * cond holds and returns cond, as the kernel's does (without the stack dump).
 * --------------------------------------------------------------------- */
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define KERN_ERR "3"
#define KERN_WARNING "4"
#define KERN_INFO "6"
void shim_printk(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define pr_info(fmt, ...) shim_printk(KERN_INFO, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) shim_printk(KERN_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) shim_printk(KERN_WARNING, pr_fmt(fmt), ##__VA_ARGS__)
void shim_warn(const char *file, int line, const char *fmt, ...);
#define WARN(cond, fmt, ...) ({ \
	int __c = !!(cond); \
	if (__c) shim_warn(__FILE__, __LINE__, fmt, ##__VA_ARGS__); \
	__c; })
#define WARN_ON(cond) WARN(cond, "WARN_ON(%s)\n", #cond)

/* ---------------------------------------------------------------------
 * linux/slab.h: kzalloc/kmalloc/kfree and gfp flags.
 * kzalloc = calloc, kmalloc = malloc, kfree = free: the same contract
 * (zeroed or not, NULL on failure, kfree(NULL) a no-op).  The allocation
 * can be made to fail (shim_alloc_fail_next / shim_alloc_fail_permille) as
 * GFP_ATOMIC / GFP_NOWAIT allocations can; gfp flags select nothing else.
 * Every allocation and free is counted (accounting of the stress run) and
 * reported to the event hook (trace recording).
 * --------------------------------------------------------------------- */
typedef unsigned int gfp_t;
#define GFP_KERNEL ((gfp_t)0xcc0)
#define GFP_ATOMIC ((gfp_t)0xa20)
#define GFP_NOWAIT ((gfp_t)0x800)
void *shim_kmalloc(size_t size, gfp_t gfp, int zero);
void shim_kfree(const void *p);
#define kzalloc(size, gfp) shim_kmalloc((size), (gfp), 1)
#define kmalloc(size, gfp) shim_kmalloc((size), (gfp), 0)
#define kfree(p) shim_kfree(p)

/* ---------------------------------------------------------------------
 * RCU (linux/rcupdate.h).
 * rcu_read_lock/unlock: a read-side critical section of the shim's RCU
 * (shim.c): liburcu "memb" (readers are a per-thread counter, writers use
 * membarrier; the closest userspace match to the kernel's cheap readers)
 * or, in the ThreadSanitizer build, a reader-preferring pthread rwlock
 * held for reading (nesting allowed), whose write side is the grace period.
 * call_rcu(head, func): func(head) runs after a grace period: a reclaimer
 * thread takes the queued callbacks, waits for a grace period
 * (synchronize_rcu) and runs them, so every reader that was inside when
 * the callback was queued has left -- the kernel's grace-period guarantee.
 * kfree_rcu(ptr, field) = call_rcu on ptr->field with a callback that
 * frees ptr (the kernel batches pointers instead; the guarantee is the same).
 * rcu_barrier(): waits until every callback queued so far has run.
 * struct rcu_head is the kernel's two words plus the offset kfree_rcu needs.
 * --------------------------------------------------------------------- */
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
	size_t shim_offset;	/* kfree_rcu: offset of the head in its object */
};
void rcu_read_lock(void);
void rcu_read_unlock(void);
int rcu_read_lock_held(void);
void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *));
void rcu_barrier(void);
void shim_kfree_rcu(struct rcu_head *head, size_t offset);
#define kfree_rcu(ptr, field) \
	shim_kfree_rcu(&(ptr)->field, offsetof(typeof(*(ptr)), field))

/* rcu_assign_pointer / rcu_dereference: publication is a release store,
 * the reader's load an acquire load (gcc implements consume as acquire;
 * on x86 both are plain moves, so the x86 build proves nothing about
 * weaker hardware: ThreadSanitizer's model does, see README).
 * The reader-side check of CONFIG_PROVE_RCU ("suspicious RCU usage",
 * "RCU-list traversed in non-reader section") is kept: an RCU list walk
 * outside any read-side section and without the lock is logged as a
 * lockdep splat and counted (shim_lockdep_splats). */
#ifdef SHIM_PLAIN_PUBLISH
#define rcu_assign_pointer(p, v) ((p) = (v))
#else
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#endif
#ifdef SHIM_PLAIN_DEREF
#define rcu_dereference_raw(p) (p)
#else
#define rcu_dereference_raw(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#endif
#define rcu_dereference(p) rcu_dereference_raw(p)
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, v)

/* ---------------------------------------------------------------------
 * spinlock (linux/spinlock.h).
 * spin_lock_irqsave(lock, flags) = a pthread mutex, AND the holder enters
 * an RCU read-side section; spin_unlock_irqrestore leaves it.  In the
 * kernel, disabling interrupts (and preemption) is an RCU read-side
 * critical section (since the RCU flavours were consolidated in 4.20):
 * no grace period ends while a CPU runs with interrupts off.  The spec
 * models it the same way (Shadow.tla Inside; the LockNotReader mutant)
 * and klp_shadow_free_all depends on it: it reads the forward link of an
 * entry it has already handed to kfree_rcu.  flags gets a dummy value.
 * A mutex sleeps where a spinlock spins; mutual exclusion is the same.
 * --------------------------------------------------------------------- */
typedef struct {
	void *mutex;		/* a pthread_mutex_t, allocated by shim.c */
	int initialised;
} spinlock_t;
#define DEFINE_SPINLOCK(x) spinlock_t x = { 0, 0 }
void shim_spin_lock(spinlock_t *l);
void shim_spin_unlock(spinlock_t *l);
int shim_spin_is_locked(spinlock_t *l);
#define spin_lock_irqsave(l, flags) do { (flags) = 0; shim_spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); shim_spin_unlock(l); } while (0)
#define spin_lock(l) shim_spin_lock(l)
#define spin_unlock(l) shim_spin_unlock(l)

/* ---------------------------------------------------------------------
 * linux/list.h (the selftest's pointer list; plain doubly linked list).
 * --------------------------------------------------------------------- */
struct list_head { struct list_head *next, *prev; };
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void list_add(struct list_head *n, struct list_head *h)
{
	n->next = h->next; n->prev = h; h->next->prev = n; h->next = n;
}
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev; e->prev->next = e->next;
	e->next = (struct list_head *)0x100; e->prev = (struct list_head *)0x122;
}
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_entry((head)->next, typeof(*pos), member); \
	     &pos->member != (head); \
	     pos = list_entry(pos->member.next, typeof(*pos), member))
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = list_entry((head)->next, typeof(*pos), member), \
	     n = list_entry(pos->member.next, typeof(*pos), member); \
	     &pos->member != (head); \
	     pos = n, n = list_entry(n->member.next, typeof(*n), member))

/* ---------------------------------------------------------------------
 * hlist and its RCU variants (linux/list.h, linux/rculist.h).
 * Same structure as the kernel's: a head with one forward pointer, nodes
 * with next and pprev.  hlist_add_head_rcu: n->next = first, then publish
 * n with rcu_assign_pointer (release).  hlist_del_rcu: the predecessor's
 * link := n->next (WRITE_ONCE), n->next is KEPT (so a reader standing on n
 * can continue), pprev poisoned.  The _rcu walk loads every link with
 * rcu_dereference.  Each step of a walk and each add/del is reported to
 * the event hook (shim.c), which the trace recorder and the stress
 * scenarios use; it does nothing otherwise.
 * --------------------------------------------------------------------- */
struct hlist_head { struct hlist_node *first; };
struct hlist_node { struct hlist_node *next, **pprev; };
#define HLIST_HEAD_INIT { .first = NULL }
#define LIST_POISON2 ((void *)0x122)

enum shim_event {
	SHIM_EV_WALK_RCU,	/* an _rcu walk stands on node (NULL: end of walk) */
	SHIM_EV_WALK,		/* a walk under the lock stands on node (NULL: end) */
	SHIM_EV_ADD_RCU,	/* hlist_add_head_rcu(node) done */
	SHIM_EV_DEL_RCU,	/* hlist_del_rcu(node) done */
	SHIM_EV_KFREE_RCU,	/* kfree_rcu(block) queued */
	SHIM_EV_RCU_CB,		/* the RCU callback freed block */
	SHIM_EV_KZALLOC,	/* kzalloc returned block (NULL: failed) */
	SHIM_EV_KFREE,		/* kfree(block) */
	SHIM_EV_LOCK,		/* spin_lock_irqsave acquired */
	SHIM_EV_UNLOCK,		/* spin_unlock_irqrestore about to release */
	SHIM_EV_RCU_LOCK,	/* rcu_read_lock (outermost) */
	SHIM_EV_RCU_UNLOCK,	/* rcu_read_unlock (outermost) */
};
extern void (*volatile shim_event_hook)(enum shim_event ev, const void *p);
void shim_event(enum shim_event ev, const void *p);
void shim_check_rcu_walk(void);

/* The trace recorder (kernel-check/trace.c) needs each link load or store
 * and its event to be one atomic step in the recorded order: with tracing
 * on, shim_trace_begin/end hold the recorder's mutex around them (they do
 * nothing otherwise, so the stress builds see no extra synchronisation). */
void shim_trace_begin(void);
void shim_trace_end(void);

static inline void hlist_add_head_rcu(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	n->pprev = &h->first;
	shim_trace_begin();
	rcu_assign_pointer(h->first, n);
	shim_event(SHIM_EV_ADD_RCU, n);
	shim_trace_end();
	if (first)
		first->pprev = &n->next;
}

static inline void hlist_del_rcu(struct hlist_node *n)
{
	struct hlist_node *next = n->next;
	struct hlist_node **pprev = n->pprev;

	shim_trace_begin();
	WRITE_ONCE(*pprev, next);
	shim_event(SHIM_EV_DEL_RCU, n);
	shim_trace_end();
	if (next)
		next->pprev = pprev;
#ifdef SHIM_DEL_CLEARS_NEXT
	WRITE_ONCE(n->next, NULL);
#endif
	n->pprev = LIST_POISON2;
}

static inline int hlist_unhashed(const struct hlist_node *h) { return !h->pprev; }
static inline void INIT_HLIST_NODE(struct hlist_node *h) { h->next = NULL; h->pprev = NULL; }

#define hlist_entry(ptr, type, member) container_of(ptr, type, member)
#define hlist_entry_safe(ptr, type, member) \
	({ typeof(ptr) ____ptr = (ptr); \
	   ____ptr ? hlist_entry(____ptr, type, member) : NULL; })

/* One step of a walk: load the link (with rcu_dereference in an _rcu walk,
 * plainly under the lock) and report the node now stood on (NULL: the end). */
static inline struct hlist_node *shim_walk_rcu(struct hlist_node **link)
{
	struct hlist_node *n;

	shim_trace_begin();
	n = rcu_dereference_raw(*link);
	shim_event(SHIM_EV_WALK_RCU, n);
	shim_trace_end();
	return n;
}
static inline struct hlist_node *shim_walk_locked(struct hlist_node **link)
{
	struct hlist_node *n = *link;

	shim_event(SHIM_EV_WALK, n);
	return n;
}

#define hlist_for_each_entry(pos, head, member) \
	for (pos = hlist_entry_safe(shim_walk_locked(&(head)->first), typeof(*(pos)), member); \
	     pos; \
	     pos = hlist_entry_safe(shim_walk_locked(&(pos)->member.next), typeof(*(pos)), member))

/* The _safe walk loads the next link before the body runs (the body may
 * delete pos): here too, each load is one walk event. */
#define hlist_for_each_entry_safe(pos, n, head, member) \
	for (pos = hlist_entry_safe(shim_walk_locked(&(head)->first), typeof(*(pos)), member); \
	     pos && ({ n = shim_walk_locked(&(pos)->member.next); 1; }); \
	     pos = hlist_entry_safe(n, typeof(*(pos)), member))

#define hlist_for_each_entry_rcu(pos, head, member, ...) \
	for (shim_check_rcu_walk(), \
	     pos = hlist_entry_safe(shim_walk_rcu(&(head)->first), typeof(*(pos)), member); \
	     pos; \
	     pos = hlist_entry_safe(shim_walk_rcu(&(pos)->member.next), typeof(*(pos)), member))

/* ---------------------------------------------------------------------
 * linux/hash.h: hash_64 / hash_32 / hash_long, the kernel's multiplicative
 * (golden ratio) hashes: the same bucket for the same pointer as in the
 * kernel (on 64-bit), so collisions happen where they would there.
 * --------------------------------------------------------------------- */
#define GOLDEN_RATIO_32 0x61C88647u
#define GOLDEN_RATIO_64 0x61C8864680B583EBull
static inline uint32_t hash_32(uint32_t val, unsigned int bits)
{
	return (uint32_t)(val * GOLDEN_RATIO_32) >> (32 - bits);
}
static inline uint32_t hash_64(uint64_t val, unsigned int bits)
{
	return (uint32_t)((val * GOLDEN_RATIO_64) >> (64 - bits));
}
#define hash_long(val, bits) hash_64((val), (bits))

/* ---------------------------------------------------------------------
 * linux/hashtable.h: a fixed array of hlist heads; hash_min picks hash_32
 * for keys of at most 4 bytes, else hash_long, as the kernel's does.
 * hash_for_each visits buckets in index order, each with hlist_for_each_entry.
 * --------------------------------------------------------------------- */
#define DEFINE_HASHTABLE(name, bits) \
	struct hlist_head name[1 << (bits)] = { [0 ... ((1 << (bits)) - 1)] = HLIST_HEAD_INIT }
#define HASH_SIZE(name) (ARRAY_SIZE(name))
#define HASH_BITS(name) ((unsigned int)__builtin_ctzl(HASH_SIZE(name)))
#define hash_min(val, bits) \
	(sizeof(val) <= 4 ? hash_32((uint32_t)(val), bits) : hash_long((uint64_t)(val), bits))
#define hash_add_rcu(hashtable, node, key) \
	hlist_add_head_rcu(node, &hashtable[hash_min(key, HASH_BITS(hashtable))])
#define hash_del_rcu(node) hlist_del_rcu(node)
#define hash_for_each(name, bkt, obj, member) \
	for ((bkt) = 0, obj = NULL; obj == NULL && (bkt) < (int)HASH_SIZE(name); (bkt)++) \
		hlist_for_each_entry(obj, &name[bkt], member)
#define hash_for_each_safe(name, bkt, tmp, obj, member) \
	for ((bkt) = 0, obj = NULL; obj == NULL && (bkt) < (int)HASH_SIZE(name); (bkt)++) \
		hlist_for_each_entry_safe(obj, tmp, &name[bkt], member)
#define hash_for_each_possible(name, obj, member, key) \
	hlist_for_each_entry(obj, &name[hash_min(key, HASH_BITS(name))], member)
#define hash_for_each_possible_rcu(name, obj, member, key, ...) \
	hlist_for_each_entry_rcu(obj, &name[hash_min(key, HASH_BITS(name))], member)

/* The bucket index shadow.c's table uses for a key (the stress run picks
 * colliding objects with it). */
#define shim_klp_bucket(obj) hash_min((unsigned long)(obj), 12)

#endif /* KSHIM_H */
