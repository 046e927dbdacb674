------------------------- MODULE ShadowIndInvSampled -------------------------
(***************************************************************************)
(* The induction check of ShadowIndInv at bounds TLC cannot enumerate     *)
(* (3 threads, 2 objects, 2 ids, 2 buckets, 3 entries), on states drawn   *)
(* at random from IndInv, after Lamport's note "Using TLC to Check        *)
(* Inductive Invariance": the initial predicate draws states, TLC checks  *)
(* IndInv and the safety invariants in each and IndInv in each successor  *)
(* (the CONSTRAINT HistoryInitial of ShadowIndInv stops after one step).  *)
(*                                                                         *)
(* The states are drawn from IndInv's own structure, not by filtering     *)
(* random type-correct states: the entries' records are drawn from        *)
(* EntryRecs (the records satisfying IndInv's per-entry conjunct          *)
(* EntryLocal), a bucket head is chosen so that HeapLinks holds, and the  *)
(* threads' records are drawn from the records that satisfy IndInv's      *)
(* per-thread conjuncts ProcLocal and ProcHeapR for THAT heap; the whole  *)
(* of IndInv then filters what the draws combined (ownership and the lock *)
(* across threads).  A check of sampled states proves nothing about the   *)
(* states not drawn: it finds non-inductive steps, as simulation finds    *)
(* bugs.                                                                   *)
(***************************************************************************)
EXTENDS ShadowIndInv, Randomization

CONSTANTS
    NHeaps,  \* how many entry-record functions to draw
    NProcs   \* how many thread-record functions to draw per heap

(* At most k elements of S drawn at random (all of S if it is smaller). *)
Draw(k, S) == IF Cardinality(S) <= k THEN S ELSE RandomSubset(k, S)

(* ShadowIndInv's EntryRecs and ProcRecs as explicit sets: TLC computes  *)
(* a set {x \in S : P} anew each time it is used, a set {e : x \in S} once *)
(* (constant definitions are evaluated once).                              *)
EntryRecsE == {r : r \in EntryRecs}
ProcRecsE == {r : r \in ProcRecs}

(* The thread records satisfying a thread's conjuncts of IndInv          *)
(* (ProcLocal, ProcHeapR) in the heap drawn so far.                        *)
ProcRecsHere == {r \in ProcRecsE : \E p \in Procs : ProcLocal(p, r) /\ ProcHeapR(p, r)}

(* NHeaps heaps drawn from IndInv's per-entry records, kept if a choice   *)
(* of bucket heads makes HeapLinks true; per heap NProcs assignments of    *)
(* thread records drawn from those that fit it; kept if IndInv holds.     *)
(* lock and inRead follow from the labels, as IndInv forces; the history  *)
(* variables IndInv says nothing about are initial (see ShadowIndInv).    *)
IndInitSampled ==
  /\ \E er \in Draw(NHeaps, [Entries -> EntryRecsE]) :
       /\ estate = [e \in Entries |-> er[e].st]
       /\ next = [e \in Entries |-> er[e].nx]
       /\ eobj = [e \in Entries |-> er[e].ob]
       /\ eid = [e \in Entries |-> er[e].id]
       /\ waitFor = [e \in Entries |-> er[e].wf]
       /\ gpOwed = [e \in Entries |-> er[e].go]
       /\ ctorDone = [e \in Entries |-> er[e].cd]
       /\ dtorCount = [e \in Entries |-> er[e].dc]
  /\ head \in [Buckets -> Entries \cup {Nil}]
  /\ HeapLinks
  /\ \E pr \in Draw(NProcs, [Procs -> ProcRecsHere]) :
       /\ \A p \in Procs : ProcLocal(p, pr[p]) /\ ProcHeapR(p, pr[p])
       /\ \A p, q \in Procs : p # q => ~(pr[p].pc \in LockedLabels /\ pr[q].pc \in LockedLabels)
       /\ pc = [p \in Procs |-> pr[p].pc]
       /\ op = [p \in Procs |-> pr[p].op]
       /\ nOps = [p \in Procs |-> pr[p].nOps]
       /\ cur = [p \in Procs |-> pr[p].cur]
       /\ new = [p \in Procs |-> pr[p].new]
       /\ bkt = [p \in Procs |-> pr[p].bkt]
       /\ eff = [p \in Procs |-> pr[p].eff]
  /\ lock = IF \E p \in Procs : pc[p] \in LockedLabels
              THEN CHOOSE p \in Procs : pc[p] \in LockedLabels ELSE Nil
  /\ inRead = [p \in Procs |-> pc[p] \in {"g_walk", "g_unlock"}]
  /\ HistoryInitial
  /\ IndInv

IndSpecSampled == IndInitSampled /\ [][HNext]_hvars

(* The same check with the seeded bug LostRaceLeak (ShadowMutants). *)
IndSpecSampledLostRaceLeak == IndInitSampled /\ [][HNextOf(StepLostRaceLeak)]_hvars
=============================================================================
