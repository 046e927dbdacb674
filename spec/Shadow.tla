------------------------------- MODULE Shadow -------------------------------
(***************************************************************************)
(* The shadow-variable algorithm of kernel/livepatch/shadow.c, step by    *)
(* step, under RCU and one spinlock (klp_shadow_lock): the algorithm and  *)
(* its state only.  The test driver (which operations the threads call,   *)
(* Spec) is module ShadowDriver, the history variables module ShadowAux,  *)
(* the seeded bugs module ShadowMutants.                                   *)
(*                                                                         *)
(* Plain TLA+ with the step structure of a PlusCal algorithm: pc[p] is    *)
(* the label of the next atomic step of process (thread) p, each label    *)
(* one C step that matters for concurrency (model-check/labels.tsv), one  *)
(* action per label; as in the C code, alloc/getOrAlloc's pre-check runs  *)
(* get's steps, and free and freeAll the steps of klp_shadow_free_struct. *)
(*                                                                         *)
(* Memory: a finite pool of Entries (struct klp_shadow).  Each entry has  *)
(* a forward link next[e], obj and id fields, and a lifecycle state:      *)
(*   "free"       in the pool (not allocated)                             *)
(*   "private"    allocated by one alloc/getOrAlloc, not yet published    *)
(*   "published"  reachable from a bucket head                            *)
(*   "unlinked"   removed by hash_del_rcu, not yet handed to kfree_rcu    *)
(*   "gp_wait"    handed to kfree_rcu: awaiting the end of a grace period *)
(*   "reclaimed"  memory freed after the grace period                     *)
(* A plain kfree (lost race, constructor failure) returns a never-        *)
(* published entry to the pool, where it may be allocated again.         *)
(* Reclaimed entries are NOT reused: this keeps models small and makes    *)
(* every read of reclaimed memory visible (NoUseAfterReclaim) instead of  *)
(* letting it alias a new entry (no ABA in these models; see README).     *)
(*                                                                         *)
(* RCU: inRead[p] is TRUE inside p's read-side section.  The holder of    *)
(* klp_shadow_lock is also inside one: spin_lock_irqsave disables         *)
(* interrupts, which is an RCU read-side critical section; freeAll relies *)
(* on this when it reads the forward link of an entry it has already      *)
(* handed to kfree_rcu.  kfree_rcu records waitFor[e], the processes      *)
(* inside at that moment; a process leaving its section removes itself;   *)
(* the RCU callback (rcu_reclaim) reclaims e once waitFor[e] is empty.    *)
(***************************************************************************)
EXTENDS ShadowOps, Naturals, FiniteSets

(* Objs, Ids, Nil, CtorGiven, AllocFail, CtorFail and the operation       *)
(* records (Ops, NoOp, KeyOf) are module ShadowOps's.                      *)
CONSTANTS
    Procs,      \* the threads
    Entries,    \* the pool of entries (struct klp_shadow) that can be allocated
    Buckets,    \* the bucket indices: 0 .. NB - 1
    Hash,       \* Hash[o]: the bucket of object o, in [Objs -> Buckets]
    DtorGiven   \* free/freeAll are called with a destructor

ASSUME /\ Buckets = 0 .. (Cardinality(Buckets) - 1)
       /\ Hash \in [Objs -> Buckets] /\ Nil \notin Entries \cup Objs \cup Ids

VARIABLES
    \* per process, the C code's state
    pc,        \* pc[p]: the label of p's next step, or "idle"
    op,        \* op[p]: p's current operation (in Ops), or NoOp
    cur,       \* cur[p]: the entry p stands on / found / works on, or Nil
    new,       \* new[p]: the speculative entry of alloc/getOrAlloc, or Nil
    bkt,       \* bkt[p]: the bucket freeAll is walking
    ret,       \* ret[p]: what p's last operation returned, or NoRet
    \* shared state
    lock,      \* the holder of klp_shadow_lock, or Nil
    inRead,    \* inRead[p]: p is between rcu_read_lock and rcu_read_unlock
    head,      \* head[b]: the first entry of bucket b, or Nil
    next,      \* next[e]: e's forward link, or Nil
    eobj,      \* eobj[e]: e's obj field (Nil while zeroed)
    eid,       \* eid[e]: e's id field (Nil while zeroed)
    estate,    \* estate[e]: e's lifecycle state (see above)
    waitFor    \* waitFor[e]: the readers the grace period of e waits for

procVars == <<pc, op, cur, new, bkt, ret>>
tableVars == <<head, next, eobj, eid>>   \* the hash table's links and keys
heapVars == <<lock, inRead, tableVars, estate, waitFor>>

-----------------------------------------------------------------------------
(* No result yet. *)
NoRet == [op |-> "none", val |-> Nil, why |-> "none"]

(* The pool size: no chain is longer, so walks of NE links reach its end. *)
NE == Cardinality(Entries)

(* The entries reachable from entry e through at most n forward links. *)
RECURSIVE Reach(_, _)
Reach(e, n) == IF e = Nil \/ n = 0 THEN {} ELSE {e} \cup Reach(next[e], n - 1)

(* The entries reachable from the bucket heads: the table's contents. *)
Reachable == UNION {Reach(head[b], NE) : b \in Buckets}

(* The first entry with key k in the chain from e: what a walk finds. *)
RECURSIVE Find(_, _, _)
Find(e, k, n) == IF e = Nil \/ n = 0 THEN Nil
                 ELSE IF <<eobj[e], eid[e]>> = k THEN e
                 ELSE Find(next[e], k, n - 1)

(* klp_shadow_get's result for key k, walked atomically (used under the  *)
(* lock, where no writer can interleave).                                  *)
Lookup(k) == Find(head[Hash[k[1]]], k, NE)

(* The processes inside an RCU read-side critical section: readers, and  *)
(* the lock holder (interrupts disabled).                                  *)
Inside == {q \in Procs : inRead[q]} \cup (IF lock = Nil THEN {} ELSE {lock})

(* p leaves its read-side section: no grace period waits for it any more. *)
LeaveSection(p) == waitFor' = [e \in Entries |-> waitFor[e] \ {p}]

(* spin_lock_irqsave(&klp_shadow_lock): p waits for the lock, takes it.  *)
Lock(p) == lock = Nil /\ lock' = p

(* spin_unlock_irqrestore: p releases the lock and, with interrupts back  *)
(* on, leaves its read-side section.                                       *)
Unlock(p) == lock' = Nil /\ LeaveSection(p)

(* hash_del_rcu(e): the link pointing at e (a bucket head or the forward  *)
(* link of e's predecessor in the chain) is set to next[e]; next[e] is    *)
(* KEPT, so a reader standing on e can go on with its walk.               *)
Unlink(e) ==
  IF \E b \in Buckets : head[b] = e
    THEN /\ head' = [b \in Buckets |-> IF head[b] = e THEN next[e] ELSE head[b]]
         /\ UNCHANGED next
    ELSE /\ next' = [x \in Entries |-> IF x \in Reachable /\ next[x] = e
                                         THEN next[e] ELSE next[x]]
         /\ UNCHANGED head

(* p goes on to label l. *)
Goto(p, l) == pc' = [pc EXCEPT ![p] = l]

(* p returns the value v for the reason why (kept in ret until p's next *)
(* call) and goes idle.                                                    *)
Return(p, v, why) ==
  /\ ret' = [ret EXCEPT ![p] = [op |-> op[p].op, val |-> v, why |-> why]]
  /\ Goto(p, "idle")
  /\ cur' = [cur EXCEPT ![p] = Nil]
  /\ op' = [op EXCEPT ![p] = NoOp]

(* exists: alloc WARNs and returns NULL, getOrAlloc returns the data d. *)
Exists(p, d) == IF op[p].op = "alloc" THEN Return(p, Nil, "dup")
                                      ELSE Return(p, d, "exists")

-----------------------------------------------------------------------------
(* Every thread idle, the pool free, the table empty. *)
Init ==
  /\ pc = [p \in Procs |-> "idle"] /\ op = [p \in Procs |-> NoOp]
  /\ cur = [p \in Procs |-> Nil] /\ new = [p \in Procs |-> Nil]
  /\ bkt = [p \in Procs |-> Nil] /\ ret = [p \in Procs |-> NoRet]
  /\ lock = Nil /\ inRead = [p \in Procs |-> FALSE]
  /\ head = [b \in Buckets |-> Nil] /\ next = [e \in Entries |-> Nil]
  /\ eobj = [e \in Entries |-> Nil] /\ eid = [e \in Entries |-> Nil]
  /\ estate = [e \in Entries |-> "free"] /\ waitFor = [e \in Entries |-> {}]

-----------------------------------------------------------------------------
(* The call: p starts operation o (which one, the driver chooses).  alloc *)
(* and getOrAlloc start with the lockless pre-check, the steps of get.    *)
Call(p, o) ==
  /\ pc[p] = "idle"
  /\ op' = [op EXCEPT ![p] = o]
  /\ Goto(p, CASE o.op \in {"get", "alloc", "getOrAlloc"} -> "g_lock"
                [] o.op = "free" -> "f_lock"
                [] o.op = "freeAll" -> "fa_lock")
  /\ ret' = [ret EXCEPT ![p] = NoRet]
  /\ UNCHANGED <<cur, new, bkt, heapVars>>

-----------------------------------------------------------------------------
(* klp_shadow_get (also the pre-check of alloc/getOrAlloc).               *)

(* rcu_read_lock, then load the bucket's head pointer. *)
g_lock(p) ==
  LET h == head[Hash[op[p].obj]] IN
  /\ pc[p] = "g_lock"
  /\ inRead' = [inRead EXCEPT ![p] = TRUE]
  /\ cur' = [cur EXCEPT ![p] = h]
  /\ Goto(p, IF h = Nil THEN "g_unlock" ELSE "g_walk")
  /\ UNCHANGED <<op, new, bkt, ret, lock, tableVars, estate, waitFor>>

(* Read the entry p stands on: compare obj and id; on a match stop, else *)
(* follow its forward link (the walk ends at NULL).                        *)
g_walk(p) ==
  LET e == cur[p] IN
  /\ pc[p] = "g_walk"
  /\ IF eobj[e] = op[p].obj /\ eid[e] = op[p].id
       THEN Goto(p, "g_unlock") /\ UNCHANGED cur
       ELSE /\ cur' = [cur EXCEPT ![p] = next[e]]
            /\ Goto(p, IF next[e] = Nil THEN "g_unlock" ELSE "g_walk")
  /\ UNCHANGED <<op, new, bkt, ret, heapVars>>

(* rcu_read_unlock.  get returns the entry found (its data) or NULL; the *)
(* pre-check of alloc/getOrAlloc goes to EXISTS or allocates.             *)
g_unlock(p) ==
  LET found == cur[p]
      o == op[p] IN
  /\ pc[p] = "g_unlock"
  /\ inRead' = [inRead EXCEPT ![p] = FALSE]
  /\ LeaveSection(p)
  /\ IF o.op = "get"
       THEN Return(p, found, "value")
       ELSE IF found # Nil
         THEN Exists(p, found)
         ELSE Goto(p, "a_alloc") /\ UNCHANGED <<cur, ret, op>>
  /\ UNCHANGED <<new, bkt, lock, tableVars, estate>>

-----------------------------------------------------------------------------
(* __klp_shadow_get_or_alloc (alloc: warn_on_exist; getOrAlloc: not).    *)

(* kzalloc outside the lock; may fail (NULL).  It hands out a fixed free  *)
(* entry (CHOOSE): free entries are blank and unreferenced, so which one  *)
(* makes no difference up to renaming (no symmetry needed).  An empty     *)
(* pool without AllocFail blocks: a deadlock, the model's pool too small. *)
a_alloc(p) ==
  /\ pc[p] = "a_alloc"
  /\ \/ /\ \E e \in Entries : estate[e] = "free"
        /\ LET e == CHOOSE e \in Entries : estate[e] = "free" IN
             /\ estate' = [estate EXCEPT ![e] = "private"]
             /\ new' = [new EXCEPT ![p] = e]
        /\ Goto(p, "a_lock")
        /\ UNCHANGED <<cur, ret, op>>
     \/ AllocFail /\ Return(p, Nil, "allocFail") /\ UNCHANGED <<estate, new>>
  /\ UNCHANGED <<bkt, lock, inRead, tableVars, waitFor>>

(* spin_lock_irqsave(&klp_shadow_lock). *)
a_lock(p) ==
  /\ pc[p] = "a_lock"
  /\ Lock(p)
  /\ Goto(p, "a_recheck")
  /\ UNCHANGED <<op, cur, new, bkt, ret, inRead, tableVars, estate, waitFor>>

(* Look up <obj, id> again under the lock (one step: the lock excludes   *)
(* writers and readers change nothing).                                    *)
a_recheck(p) ==
  LET f == Lookup(KeyOf(op[p])) IN
  /\ pc[p] = "a_recheck"
  /\ IF f # Nil
       THEN cur' = [cur EXCEPT ![p] = f] /\ Goto(p, "a_exists_unlock")
       ELSE Goto(p, "a_set") /\ UNCHANGED cur
  /\ UNCHANGED <<op, new, bkt, ret, heapVars>>

(* Lost the race: spin_unlock_irqrestore. *)
a_exists_unlock(p) ==
  /\ pc[p] = "a_exists_unlock"
  /\ Unlock(p)
  /\ Goto(p, "a_kfree")
  /\ UNCHANGED <<op, cur, new, bkt, ret, inRead, tableVars, estate>>

(* kfree the speculative entry (never published: no grace period), then  *)
(* EXISTS: alloc warns and returns NULL, getOrAlloc returns the data.     *)
a_kfree(p) ==
  /\ pc[p] = "a_kfree"
  /\ estate' = [estate EXCEPT ![new[p]] = "free"]
  /\ new' = [new EXCEPT ![p] = Nil]
  /\ Exists(p, cur[p])
  /\ UNCHANGED <<bkt, lock, inRead, tableVars, waitFor>>

(* new->obj = obj; new->id = id. *)
a_set(p) ==
  LET e == new[p] IN
  /\ pc[p] = "a_set"
  /\ eobj' = [eobj EXCEPT ![e] = op[p].obj]
  /\ eid' = [eid EXCEPT ![e] = op[p].id]
  /\ Goto(p, IF CtorGiven THEN "a_ctor" ELSE "a_publish")
  /\ UNCHANGED <<op, cur, new, bkt, ret, lock, inRead, head, next,
                 estate, waitFor>>

(* Call the constructor under the lock; it may fail. *)
a_ctor(p) ==
  /\ pc[p] = "a_ctor"
  /\ \/ Goto(p, "a_publish")
     \/ CtorFail /\ Goto(p, "a_ctor_fail_unlock")
  /\ UNCHANGED <<op, cur, new, bkt, ret, heapVars>>

(* Constructor failed: spin_unlock_irqrestore. *)
a_ctor_fail_unlock(p) ==
  /\ pc[p] = "a_ctor_fail_unlock"
  /\ Unlock(p)
  /\ Goto(p, "a_ctor_fail_kfree")
  /\ UNCHANGED <<op, cur, new, bkt, ret, inRead, tableVars, estate>>

(* Constructor failed: kfree the entry (back to the pool, zeroed), NULL. *)
a_ctor_fail_kfree(p) ==
  LET e == new[p] IN
  /\ pc[p] = "a_ctor_fail_kfree"
  /\ estate' = [estate EXCEPT ![e] = "free"]
  /\ eobj' = [eobj EXCEPT ![e] = Nil]
  /\ eid' = [eid EXCEPT ![e] = Nil]
  /\ new' = [new EXCEPT ![p] = Nil]
  /\ Return(p, Nil, "ctorFail")
  /\ UNCHANGED <<bkt, lock, inRead, head, next, waitFor>>

(* hash_add_rcu: new->next := head[b]; head[b] := new, one release store. *)
(* p keeps the entry (cur) to return its data.                             *)
a_publish(p) ==
  LET e == new[p]
      b == Hash[op[p].obj] IN
  /\ pc[p] = "a_publish"
  /\ next' = [next EXCEPT ![e] = head[b]]
  /\ head' = [head EXCEPT ![b] = e]
  /\ estate' = [estate EXCEPT ![e] = "published"]
  /\ cur' = [cur EXCEPT ![p] = e]
  /\ new' = [new EXCEPT ![p] = Nil]
  /\ Goto(p, "a_unlock")
  /\ UNCHANGED <<op, bkt, ret, lock, inRead, eobj, eid, waitFor>>

(* spin_unlock_irqrestore; return the new data. *)
a_unlock(p) ==
  /\ pc[p] = "a_unlock"
  /\ Unlock(p)
  /\ Return(p, cur[p], "new")
  /\ UNCHANGED <<new, bkt, inRead, tableVars, estate>>

-----------------------------------------------------------------------------
(* klp_shadow_free_struct(shadow, dtor), one function that free calls at *)
(* f_del and freeAll at fa_del, under the lock, on the entry cur[p].  Its *)
(* steps keep the caller's labels (f_del, f_dtor, f_kfree_rcu in free;    *)
(* fa_del, fa_dtor, fa_kfree_rcu in freeAll), as the recorders name them. *)

(* hash_del_rcu: unlink, keeping the entry's forward link. *)
free_struct_del(p) ==
  LET e == cur[p] IN
  /\ pc[p] \in {"f_del", "fa_del"}
  /\ Unlink(e)
  /\ estate' = [estate EXCEPT ![e] = "unlinked"]
  /\ Goto(p, IF pc[p] = "f_del" THEN "f_dtor" ELSE "fa_dtor")
  /\ UNCHANGED <<op, cur, new, bkt, ret, lock, inRead, eobj, eid, waitFor>>

(* if (dtor) dtor(obj, data), still under the lock. *)
free_struct_dtor(p) ==
  /\ pc[p] \in {"f_dtor", "fa_dtor"}
  /\ Goto(p, IF pc[p] = "f_dtor" THEN "f_kfree_rcu" ELSE "fa_kfree_rcu")
  /\ UNCHANGED <<op, cur, new, bkt, ret, heapVars>>

(* Where klp_shadow_free_struct returns to: free unlocks (it stops at the *)
(* first match), freeAll walks on from the entry (fa_next).               *)
FreeStructReturn(p) == IF pc[p] = "f_kfree_rcu" THEN "f_unlock" ELSE "fa_next"

(* kfree_rcu(shadow, rcu_head): the entry awaits a grace period that      *)
(* waits for every process now inside a read-side section.                *)
free_struct_kfree_rcu(p) ==
  LET e == cur[p] IN
  /\ pc[p] \in {"f_kfree_rcu", "fa_kfree_rcu"}
  /\ estate' = [estate EXCEPT ![e] = "gp_wait"]
  /\ waitFor' = [waitFor EXCEPT ![e] = Inside]
  /\ Goto(p, FreeStructReturn(p))
  /\ UNCHANGED <<op, cur, new, bkt, ret, lock, inRead, tableVars>>

-----------------------------------------------------------------------------
(* klp_shadow_free(obj, id, dtor).                                        *)

(* spin_lock_irqsave. *)
f_lock(p) ==
  /\ pc[p] = "f_lock"
  /\ Lock(p)
  /\ Goto(p, "f_walk")
  /\ UNCHANGED <<op, cur, new, bkt, ret, inRead, tableVars, estate, waitFor>>

(* Walk the bucket under the lock (one step) to the first match. *)
f_walk(p) ==
  LET f == Lookup(KeyOf(op[p])) IN
  /\ pc[p] = "f_walk"
  /\ cur' = [cur EXCEPT ![p] = f]
  /\ Goto(p, IF f # Nil THEN "f_del" ELSE "f_unlock")
  /\ UNCHANGED <<op, new, bkt, ret, heapVars>>

(* spin_unlock_irqrestore; free returns. *)
f_unlock(p) ==
  /\ pc[p] = "f_unlock"
  /\ Unlock(p)
  /\ Return(p, Nil, "done")
  /\ UNCHANGED <<new, bkt, inRead, tableVars, estate>>

-----------------------------------------------------------------------------
(* klp_shadow_free_all(id, dtor): hash_for_each over every bucket in     *)
(* index order (0, 1, ...), one entry per step, through the forward links.*)

(* spin_lock_irqsave; start at the head of bucket 0. *)
fa_lock(p) ==
  /\ pc[p] = "fa_lock"
  /\ Lock(p)
  /\ bkt' = [bkt EXCEPT ![p] = 0]
  /\ cur' = [cur EXCEPT ![p] = head[0]]
  /\ Goto(p, "fa_walk")
  /\ UNCHANGED <<op, new, ret, inRead, tableVars, estate, waitFor>>

(* Read the entry freeAll stands on: a match (same id, any obj) is freed; *)
(* otherwise follow its forward link.  At the end of a bucket go to the   *)
(* next bucket's head; after the last bucket, unlock.                      *)
fa_walk(p) ==
  LET e == cur[p]
      b == bkt[p] + 1 IN
  /\ pc[p] = "fa_walk"
  /\ IF e # Nil
       THEN IF eid[e] = op[p].id
              THEN Goto(p, "fa_del") /\ UNCHANGED <<cur, bkt>>
              ELSE cur' = [cur EXCEPT ![p] = next[e]] /\ UNCHANGED <<pc, bkt>>
       ELSE IF b \in Buckets
              THEN /\ bkt' = [bkt EXCEPT ![p] = b]
                   /\ cur' = [cur EXCEPT ![p] = head[b]] /\ UNCHANGED pc
              ELSE Goto(p, "fa_unlock") /\ UNCHANGED <<cur, bkt>>
  /\ UNCHANGED <<op, new, ret, heapVars>>

(* Read the forward link of the entry just handed to kfree_rcu (kept by  *)
(* hash_del_rcu; its memory lives on because the lock holder is inside a *)
(* read-side section) and step to it.                                      *)
fa_next(p) ==
  /\ pc[p] = "fa_next"
  /\ cur' = [cur EXCEPT ![p] = next[cur[p]]]
  /\ Goto(p, "fa_walk")
  /\ UNCHANGED <<op, new, bkt, ret, heapVars>>

(* spin_unlock_irqrestore; freeAll returns. *)
fa_unlock(p) ==
  /\ pc[p] = "fa_unlock"
  /\ Unlock(p)
  /\ Return(p, Nil, "done")
  /\ bkt' = [bkt EXCEPT ![p] = Nil]
  /\ UNCHANGED <<new, inRead, tableVars, estate>>

-----------------------------------------------------------------------------
(* The RCU callback: reclaim an entry whose grace period has ended. *)
rcu_reclaim ==
  \E e \in Entries :
    /\ estate[e] = "gp_wait"
    /\ waitFor[e] = {}
    /\ estate' = [estate EXCEPT ![e] = "reclaimed"]
    /\ UNCHANGED <<procVars, lock, inRead, tableVars, waitFor>>

(* One step of the operation process p has in progress. *)
OpStep(p) ==
  \/ g_lock(p) \/ g_walk(p) \/ g_unlock(p)
  \/ a_alloc(p) \/ a_lock(p) \/ a_recheck(p) \/ a_exists_unlock(p)
  \/ a_kfree(p) \/ a_set(p) \/ a_ctor(p) \/ a_ctor_fail_unlock(p)
  \/ a_ctor_fail_kfree(p) \/ a_publish(p) \/ a_unlock(p)
  \/ free_struct_del(p) \/ free_struct_dtor(p) \/ free_struct_kfree_rcu(p)
  \/ f_lock(p) \/ f_walk(p) \/ f_unlock(p)
  \/ fa_lock(p) \/ fa_walk(p) \/ fa_next(p) \/ fa_unlock(p)
=============================================================================
