//! YAML itself: syntax errors, unclosed brackets and quotes, tabs, repeated keys, values of the
//! wrong type, nesting too deep and aliases.

use crate::{Case, CONTENT_ERROR, OPENING_MD, SITE_YAML};

#[test]
fn malformed_yaml_in_front_matter() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "summary: The organisers opened", "summary: The organisers: opened");
        },
        at: &["content/announcements/opening.md:4:24"],
        says: &["invalid YAML", "mapping values are not allowed"],
        help: &["quote values that contain `: `"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn malformed_yaml_in_site_yaml() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "description: What was", "description: Announced: what was");
        },
        at: &["content/site.yaml:2:23"],
        says: &["invalid YAML", "mapping values are not allowed"],
        help: &["quote values that contain `: `"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unclosed_bracket_in_front_matter() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "title: The Example Expo opens", "title: [unclosed");
        },
        at: &["content/announcements/opening.md:2:8"],
        says: &["invalid YAML"],
        help: &["unclosed quote or bracket"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unclosed_quote_in_front_matter() {
    let (_, run) = Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14", "date: \"2030-05-14");
        },
        at: &["content/announcements/opening.md:3:7"],
        says: &["invalid YAML", "quoted scalar"],
        help: &["unclosed quote"],
        ..CONTENT_ERROR
    }
    .run();
    assert!(!run.stderr.contains(" at line "), "{}", run.stderr);
}

#[test]
fn repeated_key_in_front_matter() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "speakers:", "title: Again\nspeakers:");
        },
        at: &["content/announcements/opening.md:5:1"],
        says: &["duplicate field `title`"],
        help: &["keep only one"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn number_where_a_list_is_wanted() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "speakers: [jane-doe]", "speakers: 5");
        },
        at: &["content/announcements/opening.md:5:11"],
        says: &["speakers: invalid type: integer `5`, expected a sequence"],
        help: &["change the value"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn list_where_text_is_wanted() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "title: The Example Expo opens", "title: [a, b]");
        },
        at: &["content/announcements/opening.md:2:8"],
        says: &["title: invalid type: sequence, expected a string"],
        help: &["change the value"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn tab_used_for_indentation_in_site_yaml() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "  city:", "\tcity:");
        },
        at: &["content/site.yaml:7:1"],
        says: &["invalid YAML: a tab is used for indentation"],
        help: &["YAML does not allow tabs for indentation: indent with spaces"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn tab_before_a_top_level_key() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "language:", "\tlanguage:");
        },
        at: &["content/site.yaml:4:1"],
        says: &["a tab is used for indentation"],
        help: &["indent with spaces"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn duplicate_key_in_topics_yaml() {
    Case {
        mistake: |s| {
            s.write(
                "content/topics.yaml",
                "trade:\n  title: Trade\nenergy:\n  title: Energy\ntrade:\n  title: Trade again\n",
            );
        },
        at: &["content/topics.yaml:5:1"],
        says: &["duplicate entry with key `trade`"],
        help: &["keep only one `trade:` line"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

/// 10,000 levels of `[` in a value: refused before the YAML parser sees it (which slows down with
/// the square of the depth: 8 s for this value in a debug build before the limit).
#[test]
fn deeply_nested_yaml() {
    let (_, run) = Case {
        mistake: |s| {
            let deep = format!("title: {}{}", "[".repeat(10_000), "]".repeat(10_000));
            s.edit(OPENING_MD, "title: The Example Expo opens", &deep);
        },
        at: &["content/announcements/opening.md:2:108"],
        says: &["invalid YAML: lists or mappings nested more than 100 levels deep"],
        help: &["`[` or `{` that are never closed"],
        ..CONTENT_ERROR
    }
    .run();
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    // The 20,000-character line is not printed whole.
    assert!(run.stderr.len() < 2_000, "{} bytes of messages:\n{}", run.stderr.len(), run.stderr);
}

#[test]
fn deeply_nested_unclosed_yaml() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "title: The Example Expo opens", &format!("title: {}", "[".repeat(10_000)));
        },
        at: &["content/announcements/opening.md:2:108"],
        says: &["nested more than 100 levels deep"],
        help: &["never closed"],
        ..CONTENT_ERROR
    }
    .run();
}

/// Billion laughs: nine levels of nine aliases would be 387 million strings.
#[test]
fn yaml_alias_bomb() {
    Case {
        mistake: |s| {
            let mut bomb = String::from("lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (name, prev) in
                ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
            {
                bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(", ")));
            }
            bomb.push_str("speakers: *i\n");
            s.edit(OPENING_MD, "speakers: [jane-doe]\n", &bomb);
        },
        at: &["content/announcements/opening.md:6:8"],
        says: &["YAML aliases are not allowed: `*a` repeats the value marked `&a`"],
        help: &["write the value out in full"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}
