------------------------- MODULE ShadowIndInvSampled -------------------------
(***************************************************************************)
(* The induction check of ShadowIndInv at bounds TLC cannot enumerate     *)
(* (3 threads, 2 objects, 2 ids, 2 buckets, 3 entries), on states drawn   *)
(* at random from IndInv, after Lamport's note "Using TLC to Check        *)
(* Inductive Invariance": the initial predicate draws states, TLC checks  *)
(* IndInv and the safety invariants in each and IndInv in each successor, *)
(* and stops there: the variable stepped is TRUE in a successor and the   *)
(* CONSTRAINT Unstepped keeps TLC from going on from it (one step, as the *)
(* induction needs; until 2026-12-07 the search went on from successors   *)
(* whose history variables had not changed, to depth about 14, which cost *)
(* two thirds of the run and checked states reachable from the drawn      *)
(* ones, not more of IndInv).                                              *)
(*                                                                         *)
(* The states are drawn from IndInv's own structure, not by filtering     *)
(* random type-correct states: the entries' records are drawn from        *)
(* EntryRecs (the records satisfying IndInv's per-entry conjunct          *)
(* EntryLocal), stratified by lifecycle state (HeapDraws), a bucket head is chosen so that HeapLinks holds, and the  *)
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

VARIABLE stepped  \* FALSE in a drawn state, TRUE in its successors

(* TLC goes on only from drawn states. *)
Unstepped == ~stepped

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

(* A set as a sequence (in CHOOSE's order). *)
RECURSIVE SetToSeq(_)
SetToSeq(S) == IF S = {} THEN <<>>
               ELSE LET x == CHOOSE x \in S : TRUE IN <<x>> \o SetToSeq(S \ {x})

(* The heaps drawn, stratified by lifecycle state.  Per entry and state,  *)
(* RecsPerState of that state's entry records are drawn (PerEntry, a      *)
(* constant: TLC draws it once a run); then for every assignment sa of    *)
(* states to the entries, NHeaps \div 6^|Entries| functions choosing one   *)
(* of those records per entry (an index in 1..RecsPerState, modulo the    *)
(* number drawn).  A draw from all record functions at once would be      *)
(* mostly gp_wait entries: most entry records are (waitFor and gpOwed      *)
(* range over the sets of threads).                                        *)
RecsPerState == 32
PerEntry ==
  [e \in Entries |->
     [st \in EStates |-> SetToSeq(Draw(RecsPerState, {r \in EntryRecsE : r.st = st}))]]
HeapDraws ==
  LET perStates == NHeaps \div Cardinality([Entries -> EStates]) IN
  UNION {{[e \in Entries |-> PerEntry[e][sa[e]][(f[e] % Len(PerEntry[e][sa[e]])) + 1]] :
            f \in Draw(perStates, [Entries -> 1..RecsPerState])} :
         sa \in [Entries -> EStates]}

(* Heaps whose entries form ONE chain (random links rarely do, and HeapLinks *)
(* rejects most random links): for every order of the entries and every    *)
(* assignment of linked states (published, unlinked, gp_wait), each entry  *)
(* gets a record of its state whose link is the next entry in the order    *)
(* (Nil for the last), drawn as above; NHeaps \div 4 heaps in all.         *)
LinkStates == {"published", "unlinked", "gp_wait"}
Orders == {s \in [1..NE -> Entries] : \A i, j \in 1..NE : i # j => s[i] # s[j]}
NextIn(s, e) == LET i == CHOOSE i \in 1..NE : s[i] = e IN IF i = NE THEN Nil ELSE s[i + 1]
PerEntryLinked ==
  [e \in Entries |-> [st \in LinkStates |-> [x \in (Entries \ {e}) \cup {Nil} |->
     SetToSeq(Draw(RecsPerState, {r \in EntryRecsE : r.st = st /\ r.nx = x}))]]]
ChainDraws ==
  LET perOrder == (NHeaps \div 4) \div (Cardinality(Orders) * Cardinality([Entries -> LinkStates]))
      Pick(s, sa, f, e) == LET rs == PerEntryLinked[e][sa[e]][NextIn(s, e)]
                           IN rs[(f[e] % Len(rs)) + 1] IN
  UNION {{[e \in Entries |-> Pick(s, sa, f, e)] :
            f \in Draw(perOrder, [Entries -> 1..RecsPerState])} :
         s \in Orders, sa \in [Entries -> LinkStates]}

(* What the model prints for every state it keeps, for the runner's       *)
(* histogram of the draws (ModelCheckRunner.drawHistogram): each thread's *)
(* label, each entry's state, and each bucket's chain length (reachable   *)
(* entries).  Instrumentation only: PrintT is TRUE.                        *)
DrawRecord ==
  <<"IndInvDraw", pc, estate, [b \in Buckets |-> Cardinality(Reach(head[b], NE))]>>

(* NHeaps heaps drawn from IndInv's per-entry records, kept if a choice   *)
(* of bucket heads makes HeapLinks true; per heap NProcs assignments of    *)
(* thread records drawn from those that fit it; kept if IndInv holds.     *)
(* lock and inRead follow from the labels, as IndInv forces; the history  *)
(* variables IndInv says nothing about are initial (see ShadowIndInv).    *)
IndInitSampled ==
  /\ \E er \in HeapDraws \cup ChainDraws :
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
  /\ PrintT(DrawRecord)

(* One step from a drawn state (TLC takes a specification only as an     *)
(* explicit Init /\ [][Next]_v, so each is written out).                  *)
InitSampled == IndInitSampled /\ stepped = FALSE
svars == <<hvars, stepped>>

IndSpecSampled == InitSampled /\ [][HNext /\ stepped' = TRUE]_svars

(* The same check with seeded bugs (ShadowMutants). *)
IndSpecSampledLostRaceLeak ==
  InitSampled /\ [][HNextOf(StepLostRaceLeak) /\ stepped' = TRUE]_svars
IndSpecSampledGPWaitsOnlyStanding ==
  InitSampled /\ [][HNextOf(StepGPWaitsOnlyStanding) /\ stepped' = TRUE]_svars
IndSpecSampledEarlyReadUnlock ==
  InitSampled /\ [][HNextOf(StepEarlyReadUnlock) /\ stepped' = TRUE]_svars
=============================================================================
