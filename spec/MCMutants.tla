----------------------------- MODULE MCMutants ------------------------------
(***************************************************************************)
(* Seeded bugs (mutants) of the shadow-variable algorithm, for the models *)
(* model-check/Mutant_*.cfg and Precheck_*.cfg.  Each such model sets one *)
(* Bug of module Shadow (see its header) or uses one of the derived       *)
(* specifications below, runs a short script, and TLC must report the     *)
(* violation of the property named in model-check/manifest.tsv: the       *)
(* checks of the real models can fail.                                     *)
(*                                                                         *)
(* The scripts keep each counterexample short and each model tiny.  The   *)
(* derived specifications express bugs that the Bug switch of Shadow      *)
(* cannot: they reuse Shadow's actions and replace one or two steps.      *)
(***************************************************************************)
EXTENDS MCShadow

-----------------------------------------------------------------------------
(* Scripts (Script[p]: p's operations in order).                          *)

(* One thread allocates <o1,i1> (publication, constructor failure). *)
ScriptOneAlloc == [p \in Procs |-> <<Alloc(o1, i1)>>]

(* One thread allocates <o1,i1> and frees it (destructor timing). *)
ScriptAllocFree == [p \in Procs |-> <<Alloc(o1, i1), Free(o1, i1)>>]

(* One thread allocates <o1,i1> and looks it up (the bucket it went to). *)
ScriptAllocGet == [p \in Procs |-> <<Alloc(o1, i1), Get(o1, i1)>>]

(* One thread allocates <o1,i1> twice (a duplicate must be refused). *)
ScriptAllocTwice == [p \in Procs |-> <<Alloc(o1, i1), Alloc(o1, i1)>>]

(* Two threads allocate <o1,i1> at the same time. *)
ScriptTwoAllocs == [p \in Procs |-> <<Alloc(o1, i1)>>]

(* p1 allocates <o1,i1> and frees it; p2 frees it too (two frees racing). *)
ScriptFreeFree ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Free(o1, i1)>>
                   ELSE <<Free(o1, i1)>>]

(* p1 allocates <o1,i1> (o1 first in the chain, o2 before it) and        *)
(* <o2,i1>, frees <o2,i1>, then <o1,i1>; p2 looks up <o1,i1>: a reader    *)
(* standing on the unlinked <o2,i1> entry follows its kept link to the    *)
(* <o1,i1> entry, which is freed after.                                    *)
ScriptFreeBothVsGet ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Alloc(o2, i1), Free(o2, i1),
                                    Free(o1, i1)>>
                   ELSE <<Get(o1, i1)>>]

(* p1 looks up <o1,i1>; p2 allocates it and frees it (a reader that      *)
(* leaves no trace but must not hold up grace periods).                    *)
ScriptGetVsAllocFree ==
  [p \in Procs |-> IF p = p1 THEN <<Get(o1, i1)>>
                   ELSE <<Alloc(o1, i1), Free(o1, i1)>>]

(* p1 allocates <o1,i1>; p2 allocates <o2,i1> (two writers on the lock). *)
ScriptTwoKeys ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1)>> ELSE <<Alloc(o2, i1)>>]

-----------------------------------------------------------------------------
(* The step part of ShadowProperties!Refinement (= A!AInit /\ [][A!ANext] *)
(* _A!avars): as its own definition, TLC names it when it is violated     *)
(* (for Refinement it names only a source location).  The initial part    *)
(* holds in every model (the table starts empty).                          *)
RefinementStep == [][A!ANext]_(A!avars)

-----------------------------------------------------------------------------
(* Derived specification 1: the historical kpatch shadow API             *)
(* (dynup/kpatch kmod/core/shadow.c, kpatch_shadow_alloc, before the      *)
(* kernel's klp_shadow_ functions).  Its alloc has no lookup at all (neither the   *)
(* lockless pre-check nor the check under the lock), no constructor, and  *)
(* a second allocation (the copy of the variable's name) after the first: *)
(* when that one fails it returns NULL without freeing the first, so the  *)
(* entry is leaked.  Get and free are the kernel's (kpatch's free calls   *)
(* call_rcu after the unlock, which makes no difference here).  Models:   *)
(* Bug = "NoPrecheck" (the call goes straight to the allocation),         *)
(* CtorGiven = FALSE, DtorGiven = FALSE.                                   *)

(* kmalloc the entry; NULL -> return NULL (Shadow's a_alloc, but the next *)
(* step is the second allocation).                                         *)
k_alloc(p) ==
  /\ pc[p] = "a_alloc"
  /\ \/ /\ \E e \in Entries : estate[e] = "free"
        /\ LET e == CHOOSE e \in Entries : estate[e] = "free" IN
             /\ estate' = [estate EXCEPT ![e] = "private"]
             /\ new' = [new EXCEPT ![p] = e]
        /\ pc' = [pc EXCEPT ![p] = "k_strdup"]
        /\ UNCHANGED <<cur, ret, op, seen, eff, ctorCalls>>
     \/ /\ AllocFail
        /\ Return(p, Res(p, Nil, "allocFail"))
        /\ UNCHANGED <<estate, new>>
  /\ UNCHANGED <<nOps, bkt, lock, inRead, head, next, eobj, eid, waitFor,
                 ctorDone, dtorCount, gpOwed, faDone, faCallWhileLocked,
                 faNilAfter>>

(* The second allocation (kstrdup of the name).  On failure kpatch       *)
(* returns NULL and forgets the entry of the first allocation: it stays  *)
(* allocated ("private") with no owner.                                    *)
k_strdup(p) ==
  /\ pc[p] = "k_strdup"
  /\ \/ /\ pc' = [pc EXCEPT ![p] = "k_lock"]
        /\ UNCHANGED <<cur, ret, op, seen, eff, ctorCalls, new>>
     \/ /\ AllocFail
        /\ new' = [new EXCEPT ![p] = Nil]
        /\ Return(p, Res(p, Nil, "allocFail"))
  /\ UNCHANGED <<nOps, bkt, heapVars, ctorDone, dtorCount, gpOwed, faDone,
                 faCallWhileLocked, faNilAfter>>

(* spin_lock_irqsave, then straight to hash_add_rcu: no lookup. *)
k_lock(p) ==
  /\ pc[p] = "k_lock"
  /\ lock = Nil
  /\ lock' = p
  /\ pc' = [pc EXCEPT ![p] = "a_set"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, inRead, head, next, eobj, eid,
                 estate, waitFor, ghostVars>>

(* One step of p under the kpatch API. *)
StepKpatch(p) ==
  \/ Call(p)
  \/ g_lock(p) \/ g_walk(p) \/ g_unlock(p)
  \/ k_alloc(p) \/ k_strdup(p) \/ k_lock(p)
  \/ a_set(p) \/ a_publish(p) \/ a_unlock(p)
  \/ f_lock(p) \/ f_walk(p) \/ f_del(p) \/ f_dtor(p) \/ f_kfree_rcu(p)
  \/ f_unlock(p)

NextKpatch == (\E p \in Procs : StepKpatch(p)) \/ rcu_reclaim \/ Finished
SpecKpatch == Init /\ [][NextKpatch]_vars

-----------------------------------------------------------------------------
(* Derived specification 2: MissingReadUnlock.  klp_shadow_get's         *)
(* not-found path returns without rcu_read_unlock (the classic forgotten  *)
(* unlock on an early-return path).  The reader stays inside its read-    *)
(* side section for ever: every later grace period waits for it, no entry *)
(* handed to kfree_rcu afterwards is reclaimed (GracePeriodsEnd fails).   *)

(* get found nothing: return NULL, but stay inside the section. *)
g_unlock_missing(p) ==
  /\ pc[p] = "g_unlock"
  /\ op[p].op = "get" /\ cur[p] = Nil
  /\ Return(p, Res(p, Nil, "value"))
  /\ UNCHANGED <<nOps, new, bkt, heapVars, ctorDone, dtorCount, gpOwed, faDone,
                 faCallWhileLocked, faNilAfter>>

(* Shadow's get-step, except on the not-found path of get. *)
g_unlock_mru(p) ==
  IF op[p].op = "get" /\ cur[p] = Nil THEN g_unlock_missing(p) ELSE g_unlock(p)

StepMissingReadUnlock(p) ==
  \/ Call(p)
  \/ g_lock(p) \/ g_walk(p) \/ g_unlock_mru(p)
  \/ a_alloc(p) \/ a_lock(p) \/ a_recheck(p) \/ a_exists_unlock(p)
  \/ a_kfree(p) \/ a_set(p) \/ a_ctor(p) \/ a_ctor_fail_unlock(p)
  \/ a_ctor_fail_kfree(p) \/ a_publish(p) \/ a_unlock(p)
  \/ f_lock(p) \/ f_walk(p) \/ f_del(p) \/ f_dtor(p) \/ f_kfree_rcu(p)
  \/ f_unlock(p)
  \/ fa_lock(p) \/ fa_walk(p) \/ fa_del(p) \/ fa_dtor(p) \/ fa_kfree_rcu(p)
  \/ fa_next(p) \/ fa_unlock(p)

NextMissingReadUnlock ==
  (\E p \in Procs : StepMissingReadUnlock(p)) \/ rcu_reclaim \/ Finished
SpecMissingReadUnlock ==
  /\ Init /\ [][NextMissingReadUnlock]_vars
  /\ \A p \in Procs : WF_vars(StepMissingReadUnlock(p))
  /\ WF_vars(rcu_reclaim)

-----------------------------------------------------------------------------
(* Derived specification 3: CtorFailNoUnlock.  The constructor-failure   *)
(* path of __klp_shadow_get_or_alloc returns without                       *)
(* spin_unlock_irqrestore (a forgotten unlock on an error path).  Every   *)
(* later writer waits for the lock for ever: operations do not complete   *)
(* (Termination fails).                                                    *)

(* Constructor failed: go on to kfree and return, keeping the lock. *)
a_ctor_fail_nounlock(p) ==
  /\ pc[p] = "a_ctor_fail_unlock"
  /\ pc' = [pc EXCEPT ![p] = "a_ctor_fail_kfree"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, heapVars, ghostVars>>

StepCtorFailNoUnlock(p) ==
  \/ Call(p)
  \/ g_lock(p) \/ g_walk(p) \/ g_unlock(p)
  \/ a_alloc(p) \/ a_lock(p) \/ a_recheck(p) \/ a_exists_unlock(p)
  \/ a_kfree(p) \/ a_set(p) \/ a_ctor(p) \/ a_ctor_fail_nounlock(p)
  \/ a_ctor_fail_kfree(p) \/ a_publish(p) \/ a_unlock(p)
  \/ f_lock(p) \/ f_walk(p) \/ f_del(p) \/ f_dtor(p) \/ f_kfree_rcu(p)
  \/ f_unlock(p)
  \/ fa_lock(p) \/ fa_walk(p) \/ fa_del(p) \/ fa_dtor(p) \/ fa_kfree_rcu(p)
  \/ fa_next(p) \/ fa_unlock(p)

NextCtorFailNoUnlock ==
  (\E p \in Procs : StepCtorFailNoUnlock(p)) \/ rcu_reclaim \/ Finished
SpecCtorFailNoUnlock ==
  /\ Init /\ [][NextCtorFailNoUnlock]_vars
  /\ \A p \in Procs : WF_vars(StepCtorFailNoUnlock(p))
  /\ WF_vars(rcu_reclaim)
=============================================================================
