------------------------------ MODULE LockRace -------------------------------
(***************************************************************************)
(* The jcstress race TableLockMutex as a small model: the table's lock     *)
(* alone, as the spec Shadow models klp_shadow_lock (one atomic            *)
(* test-and-set step: take it if it is free), with two threads that each   *)
(* lock, read a shared counter, write it back plus one, and unlock.  The   *)
(* increment is two steps, so only the lock keeps the two increments       *)
(* apart.  TLC enumerates the final states (-dump);                         *)
(* io.github.shadowvars.kit.RaceOutcomeGenerator maps them to the          *)
(* harness's outcome ids: r1, r2 = what thread 1, 2 read; r3 = the counter *)
(* at the end (the harness's arbiter).                                     *)
(***************************************************************************)
EXTENDS Naturals

VARIABLES
    pc,     \* pc[t]: the label of thread t's next step, or "done"
    lock,   \* the holder of the lock, or "none" (free)
    x,      \* the shared counter (a plain field in the harness)
    r       \* r[i]: the harness's result field ri (0 until written)

(* All variables. *)
vars == <<pc, lock, x, r>>

(* The harness's two actors, and the result field each writes. *)
Threads == {"p1", "p2"}
Field == [p1 |-> 1, p2 |-> 2]

(* Every variable has a value of the right type. *)
TypeOK ==
  /\ pc \in [Threads -> {"l_lock", "l_read", "l_write", "l_unlock", "done"}]
  /\ lock \in {"none"} \cup Threads
  /\ x \in 0..2
  /\ r \in [1..3 -> 0..2]

(* At most one thread between its lock and its unlock. *)
MutualExclusion ==
  \A t \in Threads : pc[t] \in {"l_read", "l_write", "l_unlock"} => lock = t

(* The lock is free, the counter 0. *)
Init ==
  /\ pc = [t \in Threads |-> "l_lock"]
  /\ lock = "none"
  /\ x = 0
  /\ r = [i \in 1..3 |-> 0]

(* Thread t is at label l and goes to label m. *)
Goto(t, l, m) == pc[t] = l /\ pc' = [pc EXCEPT ![t] = m]

(* spin_lock: one atomic step that takes the lock if it is free (waits otherwise). *)
l_lock(t) == Goto(t, "l_lock", "l_read") /\ lock = "none" /\ lock' = t
             /\ UNCHANGED <<x, r>>

(* Read the counter: r[Field[t]] = the value read. *)
l_read(t) == Goto(t, "l_read", "l_write") /\ r' = [r EXCEPT ![Field[t]] = x]
             /\ UNCHANGED <<lock, x>>

(* Write back the value read plus one. *)
l_write(t) == Goto(t, "l_write", "l_unlock") /\ x' = r[Field[t]] + 1
              /\ UNCHANGED <<lock, r>>

(* spin_unlock; r3 = the counter once both have unlocked (the arbiter). *)
l_unlock(t) == Goto(t, "l_unlock", "done") /\ lock' = "none"
               /\ r' = (IF \A u \in Threads \ {t} : pc[u] = "done"
                          THEN [r EXCEPT ![3] = x] ELSE r)
               /\ UNCHANGED x

(* Every thread has finished: the system stops. *)
Finished == (\A t \in Threads : pc[t] = "done") /\ UNCHANGED vars

(* One step of one thread. *)
Next == (\E t \in Threads : l_lock(t) \/ l_read(t) \/ l_write(t) \/ l_unlock(t)) \/ Finished

(* The race: safety only (TLC enumerates the states). *)
Spec == Init /\ [][Next]_vars
=============================================================================
