------------------------------ MODULE RcuRace --------------------------------
(***************************************************************************)
(* The RCU-only jcstress races (RcuGracePeriod, RcuEntryFence,             *)
(* RcuCallback) as a small model: RCU's guarantee alone, as the spec       *)
(* Shadow models it (a grace period waits for the readers inside a         *)
(* read-side section when it starts; a reader leaving its section stops    *)
(* being waited for), with one reader and one writer, and no shadow        *)
(* table.  TLC enumerates the final states (-dump);                        *)
(* io.github.shadowvars.kit.RaceOutcomeGenerator maps them to the          *)
(* harness's outcome ids.                                                  *)
(*                                                                         *)
(* Reader (all three harnesses): rcu_read_lock; load the shared            *)
(* reference;                                                              *)
(* if it got the node, read the node's "reclaimed" flag; set done; unlock. *)
(* The harness reads the flag several times (to stay on the node longer);  *)
(* "some read saw it set" has the same possible outcomes as one read at    *)
(* some point of the section, which is what the model does.                *)
(*                                                                         *)
(* Writer, Mode = "synchronize" (RcuGracePeriod): unlink (the reference    *)
(* becomes NULL); synchronize (start a grace period, wait for its end);    *)
(* mark the node reclaimed; read done.  RcuEntryFence is the same race on  *)
(* one domain shared by its states (Mode = "synchronize" as well): the     *)
(* sharing changes the Java memory behaviour it can expose, not the        *)
(* outcomes this model allows.                                             *)
(* Writer, Mode = "callRcu" (RcuCallback): unlink; callRcu (queue the      *)
(* reclaim, start its grace period); processCallbacks (run it if the grace *)
(* period has ended, never wait).  Arbiter (after both): barrier (wait for *)
(* the grace period, run what is queued); read the flag.                    *)
(*                                                                         *)
(* The Java domain (issue 16) may also run the queued callback on its      *)
(* reclaimer, but only after the writer's processCallbacks found the grace *)
(* period held up (so r3 = 0 already) and only once the grace period has   *)
(* ended; barrier waits for a reclaimer that is running callbacks.  That   *)
(* gives the same outcomes as a_barrier running the callback, so the model *)
(* leaves the reclaimer out.  Grace periods start at most one at a time in *)
(* the Java domain; here only one is ever started.                         *)
(***************************************************************************)
EXTENDS Naturals

CONSTANT Mode   \* "synchronize" (RcuGracePeriod) or "callRcu" (RcuCallback)

ASSUME Mode \in {"synchronize", "callRcu"}

VARIABLES
    pc,         \* pc[t]: the label of thread t's next step, or "done"
    ref,        \* the shared reference points to the node (TRUE) or is NULL
    inRead,     \* the reader is inside its read-side section
    gpWaits,    \* the current grace period still waits for the reader
    pending,    \* (callRcu) the reclaim callback is queued and has not run
    reclaimed,  \* the node's "reclaimed" flag
    done,       \* (synchronize) the reader's last act inside its section
    r           \* r[i]: the harness's result field ri (0 until written)

(* All variables. *)
vars == <<pc, ref, inRead, gpWaits, pending, reclaimed, done, r>>

(* The threads: the harness's two actors and its arbiter. *)
Threads == {"reader", "writer", "arbiter"}

(* The result fields the harnesses use. *)
Fields == 1..4

(* Every variable has a value of the right type. *)
TypeOK ==
  /\ pc \in [Threads -> STRING]
  /\ {ref, inRead, gpWaits, pending, reclaimed} \subseteq BOOLEAN
  /\ done \in {0, 1}
  /\ r \in [Fields -> {0, 1}]

(* The node is linked, nobody is inside a section, nothing is queued; the *)
(* arbiter runs only in the callRcu race.                                  *)
Init ==
  /\ pc = [t \in Threads |-> CASE t = "reader" -> "r_lock"
                               [] t = "writer" -> "w_unlink"
                               [] t = "arbiter" ->
                                    IF Mode = "callRcu" THEN "a_barrier" ELSE "done"]
  /\ ref = TRUE
  /\ inRead = FALSE
  /\ gpWaits = FALSE
  /\ pending = FALSE
  /\ reclaimed = FALSE
  /\ done = 0
  /\ r = [i \in Fields |-> 0]

(* Thread t is at label l and goes to label m. *)
Goto(t, l, m) == pc[t] = l /\ pc' = [pc EXCEPT ![t] = m]

(* rcu_read_lock. *)
r_lock == Goto("reader", "r_lock", "r_load") /\ inRead' = TRUE
          /\ UNCHANGED <<ref, gpWaits, pending, reclaimed, done, r>>

(* Load the reference: r1 = it got the node. *)
r_load == Goto("reader", "r_load", IF ref THEN "r_check" ELSE "r_done")
          /\ r' = [r EXCEPT ![1] = IF ref THEN 1 ELSE 0]
          /\ UNCHANGED <<ref, inRead, gpWaits, pending, reclaimed, done>>

(* Read the node's flag: r2 = it saw the node reclaimed. *)
r_check == Goto("reader", "r_check", "r_done")
           /\ r' = [r EXCEPT ![2] = IF reclaimed THEN 1 ELSE 0]
           /\ UNCHANGED <<ref, inRead, gpWaits, pending, reclaimed, done>>

(* done = 1, the last act inside the section. *)
r_done == Goto("reader", "r_done", "r_unlock") /\ done' = 1
          /\ UNCHANGED <<ref, inRead, gpWaits, pending, reclaimed, r>>

(* rcu_read_unlock: no grace period waits for the reader any more. *)
r_unlock == Goto("reader", "r_unlock", "done") /\ inRead' = FALSE /\ gpWaits' = FALSE
            /\ UNCHANGED <<ref, pending, reclaimed, done, r>>

(* Unlink: the reference becomes NULL. *)
w_unlink == Goto("writer", "w_unlink", IF Mode = "synchronize" THEN "w_gp_start" ELSE "w_call_rcu")
            /\ ref' = FALSE
            /\ UNCHANGED <<inRead, gpWaits, pending, reclaimed, done, r>>

(* synchronize, first half: a grace period starts; it waits for the reader *)
(* if the reader is inside its section now.                                 *)
w_gp_start == Goto("writer", "w_gp_start", "w_gp_wait") /\ gpWaits' = inRead
              /\ UNCHANGED <<ref, inRead, pending, reclaimed, done, r>>

(* synchronize, second half: returns once the grace period has ended. *)
w_gp_wait == Goto("writer", "w_gp_wait", "w_reclaim") /\ ~gpWaits
             /\ UNCHANGED <<ref, inRead, gpWaits, pending, reclaimed, done, r>>

(* Mark the node reclaimed. *)
w_reclaim == Goto("writer", "w_reclaim", "w_check") /\ reclaimed' = TRUE
             /\ UNCHANGED <<ref, inRead, gpWaits, pending, done, r>>

(* r3 = done, as the writer reads it after the grace period. *)
w_check == Goto("writer", "w_check", "done") /\ r' = [r EXCEPT ![3] = done]
           /\ UNCHANGED <<ref, inRead, gpWaits, pending, reclaimed, done>>

(* callRcu: queue the reclaim; its grace period starts now. *)
w_call_rcu == Goto("writer", "w_call_rcu", "w_process")
              /\ pending' = TRUE /\ gpWaits' = inRead
              /\ UNCHANGED <<ref, inRead, reclaimed, done, r>>

(* processCallbacks: run the reclaim if its grace period has ended (never *)
(* wait); r3 = how many callbacks ran.                                      *)
w_process ==
  /\ Goto("writer", "w_process", "done")
  /\ IF pending /\ ~gpWaits
       THEN /\ reclaimed' = TRUE
            /\ pending' = FALSE
            /\ r' = [r EXCEPT ![3] = 1]
       ELSE /\ UNCHANGED <<reclaimed, pending>>
            /\ r' = [r EXCEPT ![3] = 0]
  /\ UNCHANGED <<ref, inRead, gpWaits, done>>

(* The arbiter, after both actors: barrier (wait for the grace period, run *)
(* the queued callback), then r4 = the node's flag.                         *)
a_barrier == Goto("arbiter", "a_barrier", "done")
             /\ pc["reader"] = "done" /\ pc["writer"] = "done"
             /\ ~gpWaits
             /\ reclaimed' = (reclaimed \/ pending)
             /\ pending' = FALSE
             /\ r' = [r EXCEPT ![4] = IF reclaimed \/ pending THEN 1 ELSE 0]
             /\ UNCHANGED <<ref, inRead, gpWaits, done>>

(* Every thread has finished: the system stops. *)
Finished == (\A t \in Threads : pc[t] = "done") /\ UNCHANGED vars

(* One step of one thread. *)
Next == r_lock \/ r_load \/ r_check \/ r_done \/ r_unlock
        \/ w_unlink \/ w_gp_start \/ w_gp_wait \/ w_reclaim \/ w_check
        \/ w_call_rcu \/ w_process \/ a_barrier \/ Finished

(* The race: safety only (TLC enumerates the states). *)
Spec == Init /\ [][Next]_vars
=============================================================================
