//! The last line of the review log: only a line cut short (no newline: a crash mid-write)
//! may be set aside as torn; a complete line that is not valid is damage, like one in
//! the middle.

mod common;

use common::{Env, NOW};

#[test]
fn a_complete_invalid_last_line_stops_every_command_naming_file_and_line_and_is_left_alone() {
    let env = Env::new();
    env.install_numbered("t", 4);
    env.ok_at(NOW, &["review", "t", "--limit", "2"], &"\n4\n".repeat(2));
    let log_path = env.log_path();
    let mut bytes = std::fs::read(&log_path).unwrap();
    bytes.extend_from_slice(b"{\"v\":1,\"kind\":\"answer\",\"card\":\n");
    std::fs::write(&log_path, &bytes).unwrap();
    // Without the snapshot, every line is read; with it, only the part after it.
    for drop_snapshot in [false, true] {
        if drop_snapshot {
            std::fs::remove_file(env.data().join("state.json")).unwrap();
        }
        for args in [&["review", "t"][..], &["cards"], &["stats"]] {
            let output = env
                .cmd()
                .args(args)
                .write_stdin("\n5\n")
                .assert()
                .code(1)
                .get_output()
                .clone();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains(&format!("{} is damaged at line 3", log_path.display()))
                    && stderr.contains("left untouched")
                    && stderr.lines().count() == 1,
                "{args:?}: {stderr}"
            );
        }
        assert_eq!(std::fs::read(&log_path).unwrap(), bytes);
        assert!(!env.data().join("reviews.jsonl.torn").exists());
    }
}
