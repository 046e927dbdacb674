----------------------------- MODULE MCMutants ------------------------------
(***************************************************************************)
(* The models of the seeded bugs (module ShadowMutants):                  *)
(* model-check/Mutant_*.cfg and Precheck_*.cfg.  Each such model uses one *)
(* mutant's specification (SpecX), runs a short script, and TLC must      *)
(* report the violation of the property named in model-check/manifest.tsv:*)
(* the checks of the real models can fail.  The scripts keep each         *)
(* counterexample short and each model tiny.                               *)
(***************************************************************************)
EXTENDS MCShadow, ShadowMutants

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


=============================================================================
