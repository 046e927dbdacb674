------------------------------ MODULE MCRaceWeak ------------------------------
(***************************************************************************)
(* The jcstress races of the weak table (module ShadowWeak) as small      *)
(* models, as MCRace's are of the strong table: a setup thread p3 runs    *)
(* its Script to the end before the racers p1, p2 start, MCRace's         *)
(* observers record what the harness measures, and TLC enumerates the     *)
(* reachable final states (-dump) for io.github.shadowvars.kit.            *)
(* RaceOutcomeGenerator.  The algorithm's steps are ShadowWeak's (and     *)
(* ShadowWeakMutants' for a seeded bug: WRaceOp <- WRaceOpX in the .cfg).  *)
(*                                                                         *)
(* The harnesses simulate the collection (TestTables.collect, clearOnly), *)
(* so they decide when an object dies and when its weak keys are enqueued:*)
(*   - Die(o), ShadowWeak's step of the environment: the keys cleared;     *)
(*   - Report(o): the keys enqueued (Reference.enqueue), after Die(o).      *)
(* DieBy and ReportBy say who does each: the setup thread (the harness's  *)
(* @State constructor: before either racer starts) or a racer (before its *)
(* first operation).  Neither happens during the setup.                    *)
(*                                                                         *)
(* ShadowWeak abstracts the ReferenceQueue as the stale entries still     *)
(* linked, and lets x_walk stop while some are linked (the queue lags the *)
(* collector: the reference handler enqueues later).  Here the harness    *)
(* enqueues itself, so the queue is exact: the stale entries of reported  *)
(* objects whose key no poll has returned yet (Queue).  x_walk takes an    *)
(* entry only when a poll returns a key (Queue not empty), a stale entry   *)
(* only the polled key's, and goes on only when the queue is empty: a      *)
(* restriction of ShadowWeak's x_walk (Queued), so every behaviour here is *)
(* one of ShadowWeak's.                                                     *)
(*                                                                         *)
(* Added observers: xdelBy[p], the entries p's expunge() calls unlinked    *)
(* (what expunge() returns).  The destructor calls per object are read    *)
(* from ShadowAux's dtorCount and the entries' eobj, the variables left    *)
(* from estate.                                                             *)
(***************************************************************************)
EXTENDS MCRace, MCShadowWeak

CONSTANTS
    DieBy,      \* who simulates the deaths: Setup (p3) or a racer
    ReportBy    \* who enqueues the dead objects' keys: Setup (p3) or a racer

ASSUME DieBy \in Procs /\ ReportBy \in Procs

VARIABLES
    reported,   \* the dead objects whose weak keys are enqueued
    polled,     \* the entries whose key a poll has returned
    xdelBy      \* xdelBy[p]: the entries p's expunge() calls unlinked

wobsVars == <<reported, polled, xdelBy>>

(* The keys a poll can still return whose entries are linked. *)
Queue == {e \in Stale : eobj[e] \in reported} \ polled

(* Op step O(p) with the harness's queue: a step at x_walk that takes an *)
(* entry polls a key from the queue (a stale entry taken is the polled    *)
(* key's; a seeded bug may take another); one that goes on finds the      *)
(* queue empty.                                                            *)
Queued(O(_), p) ==
  /\ O(p)
  /\ IF pc[p] = "x_walk" /\ pc'[p] = "x_del"
       THEN \E e \in Queue : /\ cur'[p] \in Stale => cur'[p] = e
                             /\ polled' = polled \cup {e}
       ELSE /\ pc[p] = "x_walk" => Queue = {}
            /\ UNCHANGED polled

(* The weak table's op step with the queue (a seeded bug overrides it). *)
WRaceOp(p) == Queued(WOpStep, p)

(* The seeded bugs of ShadowWeakMutants with the queue. *)
WRaceOpExpungeDropsLive(p) == Queued(OpExpungeDropsLive, p)
WRaceOpFreeAllDtorOnDead(p) == Queued(OpFreeAllDtorOnDead, p)

(* Racer p may take a step: the setup is done, and the deaths and reports *)
(* due before p's first operation (or before the race) have happened.     *)
Ready(p) ==
  /\ SetupDone
  /\ DieBy \in {Setup, p} => dead = MortalObjs
  /\ ReportBy \in {Setup, p} => reported = MortalObjs

(* The observer xdelBy in a step of p. *)
ObserveExpunge(p) ==
  xdelBy' = IF pc[p] = "x_del" /\ op[p].op = "expunge"
              THEN [xdelBy EXCEPT ![p] = @ + 1] ELSE xdelBy

(* o's keys are enqueued. *)
Report(o) ==
  /\ o \in dead \ reported
  /\ reported' = reported \cup {o}
  /\ UNCHANGED <<wvars, obsVars, polled, xdelBy>>

WRaceInit ==
  /\ WInit
  /\ results = [p \in Procs |-> <<>>]
  /\ dtorBy = [p \in Procs |-> 0]
  /\ readReclaimed = [p \in Procs |-> FALSE]
  /\ over = \A p \in Procs : Done(p)
  /\ reported = {}
  /\ polled = {}
  /\ xdelBy = [p \in Procs |-> 0]

(* A step of the weak table: the setup thread's alone until it is done,   *)
(* then the racers' when ready, a death or report after the setup, the RCU *)
(* callback, or the final stutter.                                         *)
WRaceNext ==
  \/ \E p \in Procs :
       /\ IF p = Setup THEN ~SetupDone ELSE Ready(p)
       /\ WStepOf(WRaceOp, p)
       /\ pc[p] = "idle" => UNCHANGED polled   \* a call (WRaceOp sets it otherwise)
       /\ Observe(p)
       /\ ObserveExpunge(p)
       /\ UNCHANGED reported
  \/ SetupDone /\ \E o \in MortalObjs : Die(o) /\ UNCHANGED <<obsVars, wobsVars>>
  \/ SetupDone /\ \E o \in MortalObjs : Report(o)
  \/ Reclaim /\ UNCHANGED <<auxVars, dead, expunged, obsVars, wobsVars>>
  \/ Finished /\ UNCHANGED <<auxVars, dead, expunged, obsVars, wobsVars>>

(* The race: safety only. *)
WRaceSpec == WRaceInit /\ [][WRaceNext]_<<wvars, obsVars, wobsVars>>

-----------------------------------------------------------------------------
(* The scripts, one per harness.  p1 is the harness's first actor, p2 its *)
(* second, p3 its @State constructor; o1 is the object that dies.          *)

(* GetExpunge: the bucket o1 -> o2; o1 dies and is reported in the setup; *)
(* get(o2,i1) || expunge.                                                   *)
ScriptGetExpunge ==
  [p \in Procs |-> CASE p = p1 -> <<Get(o2, i1)>>
                     [] p = p2 -> <<Expunge>>
                     [] p = p3 -> <<Alloc(o2, i1), Alloc(o1, i1)>>]

(* GetCollectExpunge: the bucket o3 -> o1 -> o2; get(o2,i1) || o1 dies and *)
(* is reported (TestTables.collect), then expunge.                          *)
ScriptGetCollectExpunge ==
  [p \in Procs |-> CASE p = p1 -> <<Get(o2, i1)>>
                     [] p = p2 -> <<Expunge>>
                     [] p = p3 -> <<Alloc(o2, i1), Alloc(o1, i1), Alloc(o3, i1)>>]

(* FreeAllExpunge: the bucket o2 -> o1; o1 dies in the setup, not reported *)
(* (TestTables.clearOnly); freeAll(i1) || o1's key enqueued, then expunge.  *)
ScriptFreeAllExpunge ==
  [p \in Procs |-> CASE p = p1 -> <<FreeAll(i1)>>
                     [] p = p2 -> <<Expunge>>
                     [] p = p3 -> <<Alloc(o1, i1), Alloc(o2, i1)>>]
=============================================================================
