"""Lesson: check, then act: two threads both see enough money, and both take it."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from scenarios.model.lesson import Headline, Lesson, LessonText
from scenarios.model.params import bool_param, float_param, int_param
from scenarios.model.tries import Try, ran, stepped, where


class Account:
    """The shared account: its balance, and what was taken out or refused."""

    def __init__(self, balance: int) -> None:
        self.balance = balance
        self.taken = 0
        self.refused = 0


def withdraw(lab, account: Account, amount: int) -> None:
    """`if account.balance >= amount: account.balance -= amount`, as its two steps."""
    lab.point("check", balance=lambda: account.balance)  # step mode: wait for a turn
    enough = account.balance >= amount                     # check
    time.sleep(lab.param("race_window") / 1000)            # the gap: another thread may act
    if not enough:
        account.refused += 1
        lab.print(f"refused: {account.balance} is less than {amount}")
        return
    lab.point(f"take {amount}", balance=lambda: account.balance)
    account.balance -= amount                              # act, on what it checked before
    account.taken += amount
    lab.metric("balance", account.balance)


def customer(lab, account: Account, lock, amount: int) -> None:
    """One withdrawal, holding the lock around check and act when use_lock is on."""
    if lab.param("use_lock"):
        with lock:
            withdraw(lab, account, amount)
    else:
        withdraw(lab, account, amount)


def run(lab, p: Mapping[str, Any]) -> dict[str, Any]:
    """Every thread tries to take `amount` from one account once; can it go below zero?"""
    account = Account(p["balance"])
    lab.shared(balance=lambda: account.balance)  # step mode shows it at every step
    lock = lab.Lock("account lock")
    lab.metric("balance", account.balance)
    threads = [lab.Thread(target=customer, args=(lab, account, lock, p["amount"]),
                          name=f"Thread {i + 1}") for i in range(p["threads"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lowest = p["balance"] % p["amount"] if p["amount"] <= p["balance"] else p["balance"]
    lab.print(f"balance {account.balance}: {account.taken} taken, {account.refused} refused")
    return {
        "balance": account.balance,
        "overdrawn": account.balance < 0,
        "taken": account.taken,
        "refused": account.refused,
        "lowest_allowed": lowest,
        "use_lock": lab.param("use_lock"),
    }


def headline(values: dict[str, Any]) -> Headline:
    """Overdrawn or not."""
    if values["overdrawn"]:
        return Headline(f"overdrawn: balance {values['balance']} after {values['taken']} was "
                        "taken on checks that were out of date", "bad")
    return Headline(f"balance {values['balance']}: {values['refused']} withdrawal(s) refused, "
                    "as they should be", "good")


def outcome(values: Mapping[str, Any]) -> str:
    """What a stepped run ended in, for explore: the balance, and if it went below zero."""
    return f"balance = {values['balance']}" + (", overdrawn" if values["overdrawn"] else "")


LESSON = Lesson(
    id="check_then_act",
    title="Check, then act",
    summary="Two threads both see enough money, and both take it: the account goes below zero.",
    section="Synchronisation",
    text=LessonText(
        watch="Each thread checks that the balance covers its withdrawal, then takes it. The "
        "balance plot should never go below zero; without the lock it does, and the result card "
        "says by how much.",
        try_="Run it with the lock off: both threads check 100 ≥ 80 before either takes its 80, "
        "and the balance ends at -60. Turn the lock on: the second thread checks after the "
        "first has taken, and is refused. Then be the scheduler: Step (Ctrl+T), press 1 and 2 "
        "(both check), then 1 and 2 again (both take). Explore every schedule to see how many "
        "of them overdraw, with the lock and without.",
        why="A check is only true at the moment it is made. Between 'if balance >= amount' and "
        "'balance -= amount' another thread may take the money, and the check it rests on is "
        "out of date. A lock held around both makes check and act one step: the same fix as "
        "for x += 1, for the same reason.",
    ),
    params=(
        int_param("threads", 2, 2, 4, "How many threads try to withdraw.", label="Threads"),
        int_param("balance", 100, 1, 1000, "What the account holds at the start.",
                  label="Start balance"),
        int_param("amount", 80, 1, 1000, "What each thread tries to take once.",
                  label="Amount"),
        bool_param("use_lock", False, "Hold a threading.Lock around the check and the "
                   "withdrawal.", live=True, label="Use a lock"),
        float_param("race_window", 5.0, 0.0, 50.0, "The pause between the check and the act: "
                    "the other threads' chance to act on the same balance.", unit="ms",
                    step=1.0, live=True, label="Race window"),
    ),
    run=run,
    code=(withdraw, customer, run),
    result_keys=("balance", "overdrawn", "taken", "refused"),
    words={"balance": "balance at the end"},
    headline=headline,
    outcome=outcome,
    tries=(
        Try("Run it with the lock off: the account is overdrawn.",
            ran(use_lock=False, result=where(overdrawn=True))),
        Try("Turn the lock on: the balance never goes below zero.",
            ran(use_lock=True, result=where(overdrawn=False))),
        Try("In step mode, make both threads check before either takes: overdrawn.",
            ran(use_lock=False, result=where(schedule=stepped, overdrawn=True))),
    ),
)
