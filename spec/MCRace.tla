------------------------------- MODULE MCRace --------------------------------
(***************************************************************************)
(* The jcstress races as small models of the algorithm (module Shadow):   *)
(* each harness in src/test/java/io/github/shadowvars/jcstress races two threads,   *)
(* p1 and p2, each with a fixed Script, on a table a setup thread p3 has   *)
(* filled beforehand (as the harness's @State constructor does).  TLC      *)
(* enumerates the reachable final states (-dump); the Java generator       *)
(* io.github.shadowvars.kit.RaceOutcomeGenerator maps each to the harness's        *)
(* outcome id, and those ids are the harness's ACCEPTABLE outcomes.        *)
(*                                                                         *)
(* The algorithm's steps are Shadow's (RaceStep), with the history        *)
(* variables of ShadowAux; a check against a seeded bug overrides RaceStep *)
(* in the .cfg (RaceStep <- StepX, module ShadowMutants).  This module     *)
(* adds only:                                                              *)
(*   - the setup phase: p3 runs its Script to the end before p1 or p2 take *)
(*     a step (a Procs without p3 means no setup: an empty table);          *)
(*   - observer variables that record what a harness measures and Shadow   *)
(*     does not keep: every result of every operation (Shadow's ret holds  *)
(*     only the last), the destructor calls made by each thread (Shadow    *)
(*     counts them per entry), whether a thread read reclaimed memory     *)
(*     (what the Java table reports as a use-after-reclaim error), and     *)
(*     whether every thread has returned from its last operation (the      *)
(*     states the generator keeps).                                         *)
(* Observers are written by the steps but never read by them, so they do   *)
(* not change which algorithm states are reachable.                        *)
(*                                                                         *)
(* It lives in spec/, next to Shadow: TLC 2.18 looks for EXTENDS modules   *)
(* only in the top module's directory and its standard library (it        *)
(* ignores -DTLA-Library).  The models are model-check/race/*.cfg.         *)
(***************************************************************************)
EXTENDS MCShadow, ShadowMutants

CONSTANT o3   \* a third object (the same-bucket race allocates it)

VARIABLES
    results,       \* results[p]: p's completed operations, in order: each a
                   \* record [res |-> the result (as ShadowAtomic's),
                   \*         built |-> its value was constructed when returned]
    dtorBy,        \* dtorBy[p]: how many destructor calls p's steps made
    readReclaimed, \* readReclaimed[p]: p has read an entry after its reclaim
    over           \* every thread has returned from its last operation

(* The observer variables. *)
obsVars == <<results, dtorBy, readReclaimed, over>>

(* The setup thread: it fills the table before the race.  Fixed to p3;    *)
(* a model whose Procs do not contain p3 starts the race on an empty table.*)
Setup == p3

(* The setup has finished (or there is none): the race may start.  (An IF, *)
(* not a disjunction: TLC evaluates every disjunct of an action.)           *)
SetupDone == IF Setup \in Procs THEN Done(Setup) ELSE TRUE

(* The labels at which a thread reads the entry cur[p] it stands on. *)
ReadLabels == {"g_walk", "fa_walk", "fa_next"}

(* The observers' update in a step of thread p (a primed context: it reads *)
(* the algorithm's state after the step).  A step that ends p's operation  *)
(* appends its result; a step that ran a destructor (it raises one entry's *)
(* dtorCount by one) counts it for p; a read step on a reclaimed entry     *)
(* marks p.                                                                 *)
Observe(p) ==
  /\ results' =
       IF Busy(p) /\ ~Busy(p)'
         THEN [results EXCEPT ![p] =
                 Append(@, [res |-> FullRet(ret'[p], ctorCalls'[p]),
                            built |-> ret'[p].val = Nil \/ ctorDone'[ret'[p].val]])]
         ELSE results
  /\ dtorBy' = [dtorBy EXCEPT ![p] =
                  @ + Cardinality({e \in Entries : dtorCount'[e] # dtorCount[e]})]
  /\ readReclaimed' =
       IF pc[p] \in ReadLabels /\ cur[p] # Nil /\ estate[cur[p]] = "reclaimed"
         THEN [readReclaimed EXCEPT ![p] = TRUE]
         ELSE readReclaimed
  /\ over' = \A q \in Procs : pc'[q] = "idle" /\ nOps'[q] = Limit(q)

(* The step of thread p: Shadow's. *)
RaceStep(p) == Step(p)

(* Shadow's initial state, with empty observers. *)
RaceInit ==
  /\ HInit
  /\ results = [p \in Procs |-> <<>>]
  /\ dtorBy = [p \in Procs |-> 0]
  /\ readReclaimed = [p \in Procs |-> FALSE]
  /\ over = \A p \in Procs : Done(p)

(* A step of Shadow: the setup thread's alone until it is done, then the  *)
(* racers' in any interleaving, the RCU callback, or the final stutter.    *)
RaceNext ==
  \/ \E p \in Procs :
       /\ IF p = Setup THEN ~SetupDone ELSE SetupDone
       /\ RaceStep(p)
       /\ HStep(p)
       /\ Observe(p)
  \/ Reclaim /\ UNCHANGED <<auxVars, obsVars>>
  \/ Finished /\ UNCHANGED <<auxVars, obsVars>>

(* The race: safety only (TLC enumerates states; no fairness needed). *)
RaceSpec == RaceInit /\ [][RaceNext]_<<hvars, obsVars>>

(* Every thread has finished its Script: the harness's arbiter may look.  *)
(* The states the generator keeps (RCU callbacks may still be pending, as  *)
(* in a harness whose arbiter does not wait for them); the observer over   *)
(* records it for the generator.                                            *)
RaceOver == \A p \in Procs : Done(p)

-----------------------------------------------------------------------------
(* The scripts, one per harness (named after it).  p1 is the harness's    *)
(* first actor, p2 its second, p3 its @State constructor.                   *)

(* AllocAlloc: alloc ‖ alloc of one key, empty table. *)
ScriptAllocAlloc ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1)>> ELSE <<Alloc(o1, i1)>>]

(* GetOrAllocGetOrAlloc: getOrAlloc ‖ getOrAlloc of one key, empty table. *)
ScriptGetOrAllocGetOrAlloc ==
  [p \in Procs |-> IF p = p1 THEN <<GetOrAlloc(o1, i1)>> ELSE <<GetOrAlloc(o1, i1)>>]

(* GetAlloc: get ‖ alloc, empty table. *)
ScriptGetAlloc ==
  [p \in Procs |-> IF p = p1 THEN <<Get(o1, i1)>> ELSE <<Alloc(o1, i1)>>]

(* CtorPublication: get ‖ getOrAlloc, empty table. *)
ScriptCtorPublication ==
  [p \in Procs |-> IF p = p1 THEN <<Get(o1, i1)>> ELSE <<GetOrAlloc(o1, i1)>>]

(* AllocFree: alloc ‖ free, empty table. *)
ScriptAllocFree ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1)>> ELSE <<Free(o1, i1)>>]

(* GetFree: get ‖ free, <o1,i1> present. *)
ScriptGetFree ==
  [p \in Procs |-> CASE p = p1 -> <<Get(o1, i1)>>
                     [] p = p2 -> <<Free(o1, i1)>>
                     [] p = p3 -> <<Alloc(o1, i1)>>]

(* GetOrAllocFree: getOrAlloc ‖ free, <o1,i1> present. *)
ScriptGetOrAllocFree ==
  [p \in Procs |-> CASE p = p1 -> <<GetOrAlloc(o1, i1)>>
                     [] p = p2 -> <<Free(o1, i1)>>
                     [] p = p3 -> <<Alloc(o1, i1)>>]

(* FreeFree: free ‖ free, <o1,i1> present. *)
ScriptFreeFree ==
  [p \in Procs |-> CASE p = p1 -> <<Free(o1, i1)>>
                     [] p = p2 -> <<Free(o1, i1)>>
                     [] p = p3 -> <<Alloc(o1, i1)>>]

(* FreeFreeAll: free(o1,i1) ‖ freeAll(i1), with <o1,i1>, <o2,i1> and      *)
(* <o1,i2> present.                                                         *)
ScriptFreeFreeAll ==
  [p \in Procs |-> CASE p = p1 -> <<Free(o1, i1)>>
                     [] p = p2 -> <<FreeAll(i1)>>
                     [] p = p3 -> <<Alloc(o1, i1), Alloc(o2, i1), Alloc(o1, i2)>>]

(* FreeAllAlloc: freeAll(i1) ‖ alloc(o2,i1), with <o1,i1> present. *)
ScriptFreeAllAlloc ==
  [p \in Procs |-> CASE p = p1 -> <<FreeAll(i1)>>
                     [] p = p2 -> <<Alloc(o2, i1)>>
                     [] p = p3 -> <<Alloc(o1, i1)>>]

(* SameBucketAllocFree: the bucket holds B -> A (A = o1, B = o2, C = o3); *)
(* get(A), alloc(C) ‖ free(B), get(A).                                      *)
ScriptSameBucketAllocFree ==
  [p \in Procs |-> CASE p = p1 -> <<Get(o1, i1), Alloc(o3, i1)>>
                     [] p = p2 -> <<Free(o2, i1), Get(o1, i1)>>
                     [] p = p3 -> <<Alloc(o1, i1), Alloc(o2, i1)>>]
=============================================================================
