//! `add` beyond one line: a several-line back at a terminal, `--back -` from a pipe,
//! and Ctrl-D at a prompt cancelling with exit 0.
#![cfg(unix)]

mod common;

use common::pty::Pty;
use common::{card, Env, NOW};

fn add_on_a_terminal(env: &Env) -> Pty {
    let mut cmd = env.std_cmd_at(NOW);
    cmd.args(["add", "--deck", "mine"]);
    Pty::spawn(cmd, 80)
}

#[test]
fn at_a_terminal_the_back_takes_lines_until_an_empty_one() {
    let env = Env::new();
    let mut pty = add_on_a_terminal(&env);
    pty.wait_for("Front: ");
    pty.send("Tell me about a refund you refused\r");
    pty.wait_for("an empty line or Ctrl-D ends it):");
    pty.send("S: a customer wanted a refund\rR: they stayed\r\r");
    pty.wait_for("Study it now");
    assert!(pty.wait().success());
    let cards = env.cards("mine");
    assert_eq!(cards.len(), 1);
    assert_eq!(
        cards[0]["back"],
        "S: a customer wanted a refund\nR: they stayed"
    );
}

#[test]
fn ctrl_d_at_either_prompt_cancels_with_exit_0() {
    for at_back in [false, true] {
        let env = Env::new();
        let mut pty = add_on_a_terminal(&env);
        pty.wait_for("Front: ");
        let prompt = if at_back {
            pty.send("A front\r");
            pty.wait_for("ends it):");
            "back"
        } else {
            "front"
        };
        pty.send("\x04");
        let said = pty.wait_for("no card was added.");
        assert!(
            said.contains(&format!("Cancelled at the {prompt} prompt")),
            "{said}"
        );
        let status = pty.wait();
        assert!(status.success(), "{status:?}");
        assert!(!env.deck_file("mine").exists());
    }
}

#[test]
fn back_dash_reads_the_back_from_standard_input() {
    let env = Env::new();
    env.cmd()
        .args(["add", "--deck", "mine", "--front", "Q", "--back", "-"])
        .write_stdin("First line\n\n- a point\n")
        .assert()
        .success();
    let cards = env.cards("mine");
    assert_eq!(card(&cards, "q")["back"], "First line\n\n- a point");
    // Nothing on standard input: an empty back, refused.
    env.cmd()
        .args(["add", "--deck", "mine", "--front", "Q2", "--back", "-"])
        .write_stdin("")
        .assert()
        .failure();
}

#[test]
fn add_from_a_file_adds_every_card_through_the_import_parser() {
    let env = Env::new();
    env.cmd()
        .args([
            "add", "--deck", "mine", "--front", "Existing", "--back", "x",
        ])
        .assert()
        .success();
    let file = env.write(
        "more.tsv",
        "How do you calm an angry caller?\tListen, then act\tstar\nWhat result did you get?\tThey stayed\t\n",
    );
    let out = env
        .cmd()
        .args(["add", "--deck", "mine", "--from", file.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("Added 2 cards to deck mine (3 cards in all"),
        "{stderr}"
    );
    assert!(stderr.contains("`prepdeck review mine`"), "{stderr}");
    let cards = env.cards("mine");
    assert_eq!(cards.len(), 3);
    assert_eq!(cards[1]["back"], "Listen, then act");
    // A front the deck has stops the whole file: nothing added.
    let again = env
        .cmd()
        .args(["add", "--deck", "mine", "--from", file.to_str().unwrap()])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8(again.stderr).unwrap();
    assert!(stderr.contains("prepdeck card edit mine/"), "{stderr}");
    assert_eq!(env.cards("mine").len(), 3);
}
