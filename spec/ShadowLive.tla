------------------------------ MODULE ShadowLive ------------------------------
(***************************************************************************)
(* Liveness beyond deadlock freedom, on the algorithm of module Shadow.   *)
(*                                                                         *)
(* With a fixed number of operations per thread and no reuse of entries, *)
(* Termination and GracePeriodsEnd of ShadowProperties follow from TLC's  *)
(* deadlock check (proofs-notes.md says why).  Here threads run for ever:  *)
(*   - Loopers (readers, or writers) call their                           *)
(*     one operation again and again; the call does not count (nOps stays *)
(*     0), so the state space stays finite.  The other threads run their  *)
(*     Script once (no reuse of reclaimed entries is needed).              *)
(*   - Fairness is weak fairness of each labelled action of each thread  *)
(*     (not of a thread's step as a whole) and strong fairness of the RCU *)
(*     callback (below).                                                   *)
(* Checked: every call returns (OpsComplete); every grace period ends     *)
(* while new readers keep entering (EntriesReclaimed), with two entries   *)
(* whose grace periods overlap; no waiter for klp_shadow_lock starves     *)
(* (NoLockStarvation) in alloc, getOrAlloc, free or freeAll, with the     *)
(* spinlock as a ticket lock, the queued lock Linux spinlocks are.         *)
(* The RCU callback has strong fairness: the kernel's RCU ends a grace    *)
(* period once every reader that was inside has left, however often new  *)
(* readers enter, so a reclaim that is enabled again and again (between   *)
(* readers) is taken.                                                      *)
(* Mutants: a grace period that also waits for readers that entered after *)
(* it started (GPWaitsForNewReaders: with strong fairness of the reclaim  *)
(* one re-entering reader cannot hold it off, two overlapping readers     *)
(* can); a test-and-set lock (Shadow's own lock steps) under the same     *)
(* fairness.                                                               *)
(***************************************************************************)
EXTENDS ShadowDriver, TLC

CONSTANTS p1, p2, p3, o1, o2, i1, i2,
          Loopers   \* the threads that call their operation for ever

VARIABLES
    tnext,   \* the next ticket of the ticket lock (modulo NT)
    serving, \* the ticket now served
    ticket   \* ticket[p]: the ticket p holds while waiting, or Nil

tvars == <<tnext, serving, ticket>>
lvars == <<vars, tvars>>

NT == Cardinality(Procs) + 1

Get(o, i) == [op |-> "get", obj |-> o, id |-> i]
Alloc(o, i) == [op |-> "alloc", obj |-> o, id |-> i]
GetOrAlloc(o, i) == [op |-> "getOrAlloc", obj |-> o, id |-> i]
Free(o, i) == [op |-> "free", obj |-> o, id |-> i]
FreeAll(i) == [op |-> "freeAll", obj |-> Nil, id |-> i]

(* Every object in bucket 0. *)
HashZero == [o \in Objs |-> 0]

(* p1 allocates <o1,i1> and <o2,i1> (one bucket: o2's entry first) and *)
(* frees both, the second while the first one's grace period may still be *)
(* open; the other threads look up <o1,i1> for ever (walking past o2's).   *)
ScriptReaders ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Alloc(o2, i1), Free(o1, i1), Free(o2, i1)>>
                   ELSE <<Get(o1, i1)>>]

(* Every thread frees the absent <o1,i1> for ever (lock, walk, unlock). *)
ScriptWriters == [p \in Procs |-> <<Free(o1, i1)>>]

(* Writers for ever, two kinds a model: p1 allocates <o1,i1> and p2 frees *)
(* all of i1; or p1 calls getOrAlloc on <o1,i1> and p2 frees it (alloc    *)
(* and getOrAlloc take the lock when the key is absent at the pre-check). *)
ScriptAllocFreeAll ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1)>> ELSE <<FreeAll(i1)>>]
ScriptGetOrAllocFree ==
  [p \in Procs |-> IF p = p1 THEN <<GetOrAlloc(o1, i1)>> ELSE <<Free(o1, i1)>>]

-----------------------------------------------------------------------------
(* A looper calls its operation again: Shadow's Call, nOps unchanged. *)
LoopCall(p) == p \in Loopers /\ Call(p, Script[p][1]) /\ UNCHANGED nOps

-----------------------------------------------------------------------------
(* Grace periods while readers keep entering (test-and-set lock: Shadow's *)
(* own; the ticket variables stay unused).                                  *)

LStep(p) == IF p \in Loopers THEN (pc[p] # "idle" /\ Step(p)) \/ LoopCall(p)
                             ELSE Step(p)

LNext == (\E p \in Procs : LStep(p)) \/ Reclaim \/ Finished

LInit == DInit /\ tnext = 0 /\ serving = 0 /\ ticket = [p \in Procs |-> Nil]

(* Shadow's action A of process p, the driver's count unchanged (the      *)
(* actions whose weak fairness LSpec assumes).                              *)
Act(A(_), p) == A(p) /\ UNCHANGED nOps

(* The non-loopers' call (a looper calls with LoopCall only). *)
FirstCall(p) == p \notin Loopers /\ CallNext(p)

LSpec ==
  /\ LInit /\ [][LNext /\ UNCHANGED tvars]_lvars
  /\ \A p \in Procs :
       /\ WF_vars(FirstCall(p)) /\ WF_vars(LoopCall(p))
       /\ WF_vars(Act(g_lock, p)) /\ WF_vars(Act(g_walk, p)) /\ WF_vars(Act(g_unlock, p))
       /\ WF_vars(Act(a_alloc, p)) /\ WF_vars(Act(a_lock, p)) /\ WF_vars(Act(a_recheck, p))
       /\ WF_vars(Act(a_exists_unlock, p)) /\ WF_vars(Act(a_kfree, p)) /\ WF_vars(Act(a_set, p))
       /\ WF_vars(Act(a_ctor, p)) /\ WF_vars(Act(a_ctor_fail_unlock, p))
       /\ WF_vars(Act(a_ctor_fail_kfree, p)) /\ WF_vars(Act(a_publish, p)) /\ WF_vars(Act(a_unlock, p))
       /\ WF_vars(Act(free_struct_del, p)) /\ WF_vars(Act(free_struct_dtor, p))
       /\ WF_vars(Act(free_struct_kfree_rcu, p))
       /\ WF_vars(Act(f_lock, p)) /\ WF_vars(Act(f_walk, p)) /\ WF_vars(Act(f_unlock, p))
       /\ WF_vars(Act(fa_lock, p)) /\ WF_vars(Act(fa_walk, p)) /\ WF_vars(Act(fa_next, p))
       /\ WF_vars(Act(fa_unlock, p))
  /\ SF_vars(Reclaim)

(* Mutant GPWaitsForNewReaders: rcu_read_lock also adds the reader to the *)
(* grace periods already started (as if a grace period waited for every   *)
(* reader until it sees none inside).                                       *)
g_lock_GPWaitsForNewReaders(p) ==
  LET h == head[Hash[op[p].obj]] IN
  /\ pc[p] = "g_lock"
  /\ inRead' = [inRead EXCEPT ![p] = TRUE]
  /\ cur' = [cur EXCEPT ![p] = h]
  /\ pc' = [pc EXCEPT ![p] = IF h = Nil THEN "g_unlock" ELSE "g_walk"]
  /\ UNCHANGED <<op, nOps, new, bkt, ret, lock, head, next, eobj, eid, estate>>
  /\ waitFor' = [e \in Entries |-> IF estate[e] = "gp_wait" THEN waitFor[e] \cup {p}
                                                           ELSE waitFor[e]]

StepGPWaitsForNewReaders(p) ==
  (pc[p] # "g_lock" /\ LStep(p)) \/ g_lock_GPWaitsForNewReaders(p)

LSpecGPWaitsForNewReaders ==
  /\ LInit
  /\ [][((\E p \in Procs : StepGPWaitsForNewReaders(p)) \/ Reclaim \/ Finished)
        /\ UNCHANGED tvars]_lvars
  /\ \A p \in Procs :
       /\ WF_vars(FirstCall(p)) /\ WF_vars(LoopCall(p))
       /\ WF_vars(g_lock_GPWaitsForNewReaders(p)) /\ WF_vars(Act(g_walk, p))
       /\ WF_vars(Act(g_unlock, p))
       /\ WF_vars(Act(a_alloc, p)) /\ WF_vars(Act(a_lock, p)) /\ WF_vars(Act(a_recheck, p))
       /\ WF_vars(Act(a_exists_unlock, p)) /\ WF_vars(Act(a_kfree, p)) /\ WF_vars(Act(a_set, p))
       /\ WF_vars(Act(a_ctor, p)) /\ WF_vars(Act(a_ctor_fail_unlock, p))
       /\ WF_vars(Act(a_ctor_fail_kfree, p)) /\ WF_vars(Act(a_publish, p)) /\ WF_vars(Act(a_unlock, p))
       /\ WF_vars(Act(free_struct_del, p)) /\ WF_vars(Act(free_struct_dtor, p))
       /\ WF_vars(Act(free_struct_kfree_rcu, p))
       /\ WF_vars(Act(f_lock, p)) /\ WF_vars(Act(f_walk, p)) /\ WF_vars(Act(f_unlock, p))
  /\ SF_vars(Reclaim)

-----------------------------------------------------------------------------
(* The spinlock as a ticket lock, for every writer: at the lock label     *)
(* (a_lock, f_lock, fa_lock) TakeTicket takes the next ticket, then       *)
(* LockTicket takes the lock (Shadow's step at that label) once that       *)
(* ticket is served; every unlock step serves the next ticket.  Every     *)
(* step of TSpec is a step of LNext (the same step of Shadow) or changes  *)
(* only the ticket variables: the ticket lock refines Shadow's lock, so    *)
(* every safety property of Shadow holds of it (ShadowSteps checks this). *)
LockLabels == {"a_lock", "f_lock", "fa_lock"}
UnlockLabels == {"a_exists_unlock", "a_ctor_fail_unlock", "a_unlock", "f_unlock",
                 "fa_unlock"}

TakeTicket(p) ==
  /\ pc[p] \in LockLabels /\ ticket[p] = Nil
  /\ ticket' = [ticket EXCEPT ![p] = tnext]
  /\ tnext' = (tnext + 1) % NT
  /\ UNCHANGED <<vars, serving>>

LockTicket(p) ==
  /\ pc[p] \in LockLabels /\ ticket[p] # Nil /\ serving = ticket[p]
  /\ LStep(p)
  /\ ticket' = [ticket EXCEPT ![p] = Nil]
  /\ UNCHANGED <<tnext, serving>>

UnlockTicket(p) ==
  /\ pc[p] \in UnlockLabels
  /\ LStep(p)
  /\ serving' = (serving + 1) % NT
  /\ UNCHANGED <<tnext, ticket>>

(* Every other step of p: Shadow's (or a looper's call). *)
OtherStep(p) ==
  /\ pc[p] \notin LockLabels \cup UnlockLabels
  /\ LStep(p)
  /\ UNCHANGED tvars

TStep(p) == TakeTicket(p) \/ LockTicket(p) \/ UnlockTicket(p) \/ OtherStep(p)

(* Weak fairness of each of p's actions.  A thread is at one label at a    *)
(* time, so weak fairness of OtherStep(p) is weak fairness of the action   *)
(* of each of its labels.                                                   *)
TSpec ==
  /\ LInit /\ [][(\E p \in Procs : TStep(p)) \/ (Reclaim /\ UNCHANGED tvars)]_lvars
  /\ \A p \in Procs :
       /\ WF_lvars(TakeTicket(p)) /\ WF_lvars(LockTicket(p))
       /\ WF_lvars(UnlockTicket(p)) /\ WF_lvars(OtherStep(p))
  /\ SF_lvars(Reclaim /\ UNCHANGED tvars)

(* Mutant: test-and-set (Shadow's own lock steps), the same fairness per   *)
(* action: the lock step is enabled only while the lock is free.           *)
LockTestAndSet(p) == pc[p] \in LockLabels /\ LStep(p) /\ UNCHANGED tvars
UnlockPlain(p) == pc[p] \in UnlockLabels /\ LStep(p) /\ UNCHANGED tvars

SStep(p) == LockTestAndSet(p) \/ UnlockPlain(p) \/ OtherStep(p)

SSpec ==
  /\ LInit /\ [][(\E p \in Procs : SStep(p)) \/ (Reclaim /\ UNCHANGED tvars)]_lvars
  /\ \A p \in Procs :
       /\ WF_lvars(LockTestAndSet(p)) /\ WF_lvars(UnlockPlain(p)) /\ WF_lvars(OtherStep(p))
  /\ SF_lvars(Reclaim /\ UNCHANGED tvars)

-----------------------------------------------------------------------------
(* Properties. *)

(* Every call returns. *)
OpsComplete == \A p \in Procs : Busy(p) ~> ~Busy(p)

(* Every entry handed to kfree_rcu is reclaimed, while readers keep       *)
(* entering their read-side sections.                                       *)
EntriesReclaimed == \A e \in Entries : estate[e] = "gp_wait" ~> estate[e] = "reclaimed"

(* A reader enters its read-side section while a grace period it is not *)
(* owed to is pending (a witness that new readers keep entering: TLC must  *)
(* violate it).                                                             *)
Witness_NewReaderDuringGP ==
  ~ \E e \in Entries, p \in Loopers :
      estate[e] = "gp_wait" /\ pc[p] \in {"g_walk", "g_unlock"} /\ p \notin waitFor[e]

(* No thread waiting for klp_shadow_lock waits for ever (alloc and        *)
(* getOrAlloc at a_lock, free at f_lock, freeAll at fa_lock).              *)
NoLockStarvation == \A p \in Procs : pc[p] \in LockLabels ~> lock = p

(* Every step is one of Shadow's (LNext) or changes no variable of Shadow: *)
(* the ticket lock refines Shadow's test-and-set lock.                     *)
ShadowSteps == [][LNext]_vars

(* Two entries await their grace periods at once, each owed to a thread   *)
(* (TLC must violate it: the grace periods overlap).                       *)
Witness_OverlappingGPs ==
  ~ \E e1, e2 \in Entries :
      /\ e1 # e2 /\ estate[e1] = "gp_wait" /\ estate[e2] = "gp_wait"
      /\ waitFor[e1] # {} /\ waitFor[e2] # {}
=============================================================================
