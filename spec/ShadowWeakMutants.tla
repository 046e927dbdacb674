------------------------- MODULE ShadowWeakMutants -------------------------
(***************************************************************************)
(* Seeded bugs of the weak table (module ShadowWeak), written as those of *)
(* ShadowMutants: each replaces the step(s) at one or two labels of       *)
(* ShadowWeak's WOpStep, and WSpecX is the weak table with its history    *)
(* variables.  The models are model-check/Weak_Mutant_*.cfg; each must    *)
(* violate the property model-check/manifest.tsv names.                    *)
(***************************************************************************)
EXTENDS ShadowWeak

-----------------------------------------------------------------------------
(* ExpungeDropsLive: the expunge unlinks any linked entry, a live        *)
(* object's too (the test of the cleared reference is missing).           *)
OpExpungeDropsLive(p) ==
  \/ pc[p] # "x_walk" /\ WOpStep(p)
  \/ x_walkIn(p, {e \in Entries : estate[e] = "published"})
WSpecExpungeDropsLive == WInit /\ [][WNextOf(OpExpungeDropsLive)]_wvars

-----------------------------------------------------------------------------
(* ExpungeWithoutLock: expunge neither takes nor releases the lock. *)
x_lock_NoLock(p) ==
  /\ pc[p] = "x_lock"
  /\ Goto(p, "x_walk")
  /\ UNCHANGED <<op, cur, new, bkt, ret, heapVars>>

x_unlock_NoLock(p) ==
  /\ pc[p] = "x_unlock"
  /\ Return(p, Nil, "done")
  /\ UNCHANGED <<new, bkt, heapVars>>

OpExpungeWithoutLock(p) ==
  \/ pc[p] \notin {"x_lock", "x_unlock"} /\ WOpStep(p)
  \/ x_lock_NoLock(p) \/ x_unlock_NoLock(p)
WSpecExpungeWithoutLock == WInit /\ [][WNextOf(OpExpungeWithoutLock)]_wvars

-----------------------------------------------------------------------------
(* FreeAllDtorOnDead: freeAll's walk treats an entry of a dead object as *)
(* any other (Shadow's fa_walk): it unlinks it and calls the destructor   *)
(* (in Java: with a null object).                                          *)
OpFreeAllDtorOnDead(p) ==
  \/ pc[p] # "fa_walk" /\ WOpStep(p)
  \/ fa_walk(p)
WSpecFreeAllDtorOnDead == WInit /\ [][WNextOf(OpFreeAllDtorOnDead)]_wvars
=============================================================================
