//! Mistakes in a briefing in several languages: the languages of `site.yaml`, and translation
//! files that name no language of the site, translate nothing, or say differently what they share
//! with their original.

use super::*;

/// `site.yaml` of the cases, with English (the default) and Chinese.
const LANGUAGES: &str = "languages:\n  en: {name: English}\n  zh: {name: 中文, tag: zh-Hans}\n";

fn two_languages(site: &Site) {
    site.write(SITE_YAML, format!("{SITE}{LANGUAGES}"));
}

#[test]
fn translation_in_a_site_of_one_language() {
    Case {
        mistake: |s| {
            let text = s.read("content/speakers/jane-doe.md");
            s.write("content/speakers/jane-doe.zh.md", text);
        },
        at: &["content/speakers/jane-doe.zh.md"],
        says: &["`jane-doe.zh.md` is named as a translation into `zh`, which is not among the site's languages"],
        help: &["add `languages:` to content/site.yaml", "rename it without the dot, such as `jane-doe-zh.md`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_language_code_in_a_file_name() {
    Case {
        mistake: |s| {
            two_languages(s);
            s.write("content/announcements/opening.fr.md", "---\ntitle: L'Expo ouvre\n---\n\nTexte.\n");
        },
        at: &["content/announcements/opening.fr.md"],
        says: &["`opening.fr.md` is named as a translation into `fr`, which is not among the site's languages"],
        help: &["the site's other languages are zh"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn translation_without_an_original() {
    Case {
        mistake: |s| {
            two_languages(s);
            s.write("content/speakers/john-roe.zh.md", "---\nname: 约翰\n---\n\n简介。\n");
        },
        at: &["content/speakers/john-roe.zh.md"],
        says: &["`john-roe.zh.md` translates `john-roe.md`, and there is no such file in content/speakers/"],
        help: &["a translation sits beside its original and is named after it"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn translation_with_another_date() {
    Case {
        mistake: |s| {
            two_languages(s);
            s.write(
                "content/announcements/opening.zh.md",
                "---\ntitle: 博览会开幕\ndate: 2030-05-15\nsummary: 主办方宣布博览会开幕。\n---\n\n主办方宣布博览会开幕。\n",
            );
        },
        at: &["content/announcements/opening.zh.md:3:7"],
        says: &["this translation does not share its original's date (content/announcements/opening.md:3)"],
        help: &["leave `date` out of the translation"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn translation_with_other_speakers() {
    Case {
        mistake: |s| {
            two_languages(s);
            s.write(
                "content/announcements/opening.zh.md",
                "---\ntitle: 博览会开幕\nsummary: 主办方宣布博览会开幕。\nspeakers: []\n---\n\n主办方宣布博览会开幕。\n",
            );
        },
        at: &["content/announcements/opening.zh.md:4:1"],
        says: &["this translation does not share its original's speakers (content/announcements/opening.md:5)"],
        help: &["leave `speakers` out of the translation"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn language_listed_twice() {
    Case {
        mistake: |s| {
            s.write(SITE_YAML, format!("{SITE}{LANGUAGES}  zh: {{name: 汉语}}\n"));
        },
        at: &["content/site.yaml:13:3"],
        says: &["duplicate entry with key `zh`"],
        help: &["keep only one `zh:` line"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn default_language_not_listed() {
    Case {
        mistake: |s| {
            s.write(SITE_YAML, format!("{}languages:\n  zh: {{name: 中文}}\n", SITE));
        },
        at: &["content/site.yaml:4:11"],
        says: &["the default language `en` is not among `languages:`"],
        help: &["add `en` to `languages:`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn message_file_that_is_not_fluent() {
    Case {
        mistake: |s| {
            two_languages(s);
            s.write("messages/zh.ftl", "nav-announcements = 公告\nnav-topics 主题\n");
        },
        at: &["messages/zh.ftl:2:12"],
        says: &["this is not Fluent"],
        help: &["write each message as `key = text`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_message_in_a_template() {
    Case {
        mistake: |s| {
            s.edit("templates/announcements.html", "t(key='announcements-lead',", "t(key='announcement-lead',");
        },
        at: &["templates/announcements.html:4:20"],
        says: &["there is no message `announcement-lead` in messages/en.ftl: did you mean `announcements-lead`?"],
        help: &["add the message to the default language's file in messages/"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn translations_required_and_missing() {
    Case {
        mistake: |s| {
            s.write(SITE_YAML, format!("{SITE}{LANGUAGES}require_translations: true\n"));
            s.write("content/speakers/jane-doe.zh.md", "---\nname: 简·多伊\n---\n\n简介。\n");
        },
        at: &["content/announcements/opening.md", "content/pages/about.md"],
        says: &["content/announcements/opening.md has no translation into 中文 (opening.zh.md)"],
        help: &["translate it, or remove `require_translations: true`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn translated_topic_that_does_not_exist() {
    Case {
        mistake: |s| {
            two_languages(s);
            s.write("content/topics.zh.yaml", "# 主题\ntarde:\n  title: 贸易\n");
        },
        at: &["content/topics.zh.yaml:2:1"],
        says: &["`tarde` translates no topic"],
        help: &["did you mean `trade`?"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn translated_timeline_entry_that_does_not_exist() {
    Case {
        mistake: |s| {
            two_languages(s);
            s.write("content/timeline.zh.yaml", "opening:\n  title: 博览会开幕\n");
        },
        at: &["content/timeline.zh.yaml:1:1"],
        says: &["`opening` translates no timeline entry"],
        help: &["there is no timeline entry to translate", "an `id:` of content/timeline.yaml"],
        ..CONTENT_ERROR
    }
    .run();
}

/// Every member translated into Chinese, so that only the messages can be missing.
fn all_translated(site: &Site) {
    site.write("content/announcements/opening.zh.md", "---\ntitle: 博览会开幕\nsummary: 主办方宣布博览会开幕。\n---\n")
        .write("content/speakers/jane-doe.zh.md", "---\nname: 简·多伊\n---\n\n简介。\n")
        .write("content/pages/about.zh.md", "---\ntitle: 关于本简报\n---\n\n本简报由 brief 制作。\n");
}

/// Removes message `key` from the Chinese messages.
fn without_message(site: &Site, key: &str) {
    let text = site.read("messages/zh.ftl");
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(&format!("{key} ="))).collect();
    assert!(kept.len() < text.lines().count(), "messages/zh.ftl has no {key}");
    site.write("messages/zh.ftl", kept.join("\n") + "\n");
}

#[test]
fn message_not_translated_where_translations_are_required() {
    // The error points at the message in the default language's file, the line to translate.
    Case {
        mistake: |s| {
            s.write(SITE_YAML, format!("{SITE}{LANGUAGES}require_translations: true\n"));
            all_translated(s);
            without_message(s, "nav-search");
        },
        at: &["messages/en.ftl:14:1"],
        says: &["the message `nav-search` is not translated into 中文 (messages/zh.ftl)"],
        help: &["add `nav-search = …` to messages/zh.ftl"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

/// Where translations are not required, a message a language lacks is a warning: the site is
/// built, its pages show the default language's word, and `brief check` lists the key.
#[test]
fn message_not_translated_is_a_warning() {
    let site = base();
    two_languages(&site);
    without_message(&site, "nav-search");
    let run = run_within(&site, Root::Here, &["build"]);
    no_crash(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: messages/zh.ftl lacks 1 message of messages/en.ftl, which 中文 pages show in English: nav-search"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(locations(&run.stderr), ["messages/zh.ftl"]);
    assert!(run.stderr.contains("= help: translate it into messages/zh.ftl"), "{}", run.stderr);
    let page = String::from_utf8(site.output()["zh/index.html"].clone()).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let nav: Vec<String> =
        doc.select(&scraper::Selector::parse(".site-nav a").unwrap()).map(|a| a.text().collect::<String>()).collect();
    assert_eq!(nav, ["公告", "时间线", "发言人", "主题", "Search"]);
    let check = run_within(&site, Root::Here, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stdout.contains("messages/zh.ftl lacks 1 message: nav-search"), "{}", check.stdout);
}
