//! A fast path through the tokenizer for the markup that generated pages are made of.
//!
//! Pages that templates and Markdown write are regular: text, doctype, plain comments, tags whose
//! attributes are quoted and hold at most the character references that HTML escaping writes
//! (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, numeric ones), and the raw text of `<script>` and
//! `<style>`. For those, most of html5gum's per-character state machine answers questions whose
//! answer is known: this reader jumps from `<` to `<` with `memchr` and reads each tag with a
//! few loops, calling the very same [`Emitter`] methods, in the same order, that html5gum calls.
//! So what the link check gets (links, ids, spans, the SVG and `<style>` handling of [`Sink`])
//! is decided in one place, whichever reader drove it.
//!
//! At the first thing outside that subset (a bogus comment, an unquoted value with a quote in it,
//! a named character reference other than the five above, a CR, a NUL, a tag cut by the end of the
//! page...) it stops at the start of that tag, where the tokenizer is in its data state, and
//! html5gum reads the rest of the page. A test compares the two readers on generated markup and
//! on built sites (`the_fast_path_agrees_with_html5gum`).

use std::ops::Range;

use html5gum::{Emitter, State};
use memchr::{memchr, memchr3, memmem};

use super::Sink;

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b' ')
}

/// Reads `html` from its start, driving `sink`; returns `html.len()` when it read all of it (the
/// caller then ends the page), or the offset of the tag it leaves to html5gum. Everything before
/// that offset has been emitted, and nothing after it.
pub(super) fn run(sink: &mut Sink, html: &str) -> usize {
    let b = html.as_bytes();
    let n = b.len();
    let mut buf = Buffers::default();
    let mut i = 0;
    loop {
        // The data state: text up to the next `<` (character references in text do not matter).
        let Some(k) = memchr(b'<', &b[i..]) else { return n };
        i += k;
        let next = match b.get(i + 1) {
            Some(&c) => c,
            // A `<` at the very end is text.
            None => return n,
        };
        i = match next {
            c if c.is_ascii_alphabetic() => match start_tag(sink, b, i, &mut buf) {
                Some(after) => after,
                None => return i,
            },
            b'/' if b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) => match end_tag(sink, b, i, &mut buf.name) {
                Some(after) => after,
                None => return i,
            },
            b'!' => match markup_declaration(b, i) {
                Some(after) => after,
                None => return i,
            },
            // `</>`, `</ `, `<?` and the like: bogus comments and other errors, left to html5gum.
            b'/' | b'?' => return i,
            // `<` followed by anything else is text.
            _ => i + 1,
        };
        if i >= n {
            return n;
        }
    }
}

/// Where the name of a tag that starts at `from` ends (at a space, `/`, `>` or the end of the
/// page); `None` at a CR or NUL in it.
fn name_end(b: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    while j < b.len() && !matches!(b[j], b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>') {
        if matches!(b[j], b'\0' | b'\r') {
            return None;
        }
        j += 1;
    }
    Some(j)
}

/// The names of tags and attributes, lowercased as the tokenizer does (they mostly are already).
fn lowercase<'v>(bytes: &'v [u8], buf: &'v mut Vec<u8>) -> &'v [u8] {
    if !bytes.iter().any(u8::is_ascii_uppercase) {
        return bytes;
    }
    buf.clear();
    buf.extend(bytes.iter().map(u8::to_ascii_lowercase));
    buf
}

/// Whether an HTML element's start tag changes what the emitter does beyond the tag's attributes:
/// foreign content begins (`svg`, `math`), or raw text, RCDATA, script data or plain text follows.
fn is_special(name: &[u8]) -> bool {
    let names: &[&[u8]] = match name.len() {
        3 => &[b"svg", b"xmp"],
        4 => &[b"math"],
        5 => &[b"style", b"title"],
        6 => &[b"script", b"iframe"],
        7 => &[b"noembed"],
        8 => &[b"textarea", b"noframes"],
        9 => &[b"plaintext"],
        _ => return false,
    };
    names.iter().any(|n| n[0] == name[0] && *n == name)
}

/// A start tag as read, before anything of it is emitted.
struct StartTag {
    /// Where its name lies.
    name: Range<usize>,
    /// Whether it ends with `/>`.
    self_closing: bool,
    /// The offset after its `>`.
    end: usize,
}

/// Where an attribute of a start tag lies: its name, and its value without the quotes.
struct AttrAt {
    name: Range<usize>,
    value: Option<Range<usize>>,
}

/// The buffers [`start_tag`] reuses from tag to tag.
#[derive(Default)]
struct Buffers {
    /// The attributes of the tag being read.
    attrs: Vec<AttrAt>,
    /// The tag's name, lowercased.
    name: Vec<u8>,
    /// An attribute's name, lowercased.
    attr_name: Vec<u8>,
    /// An attribute's value, decoded.
    value: Vec<u8>,
}

/// Reads the start tag at `lt` (a `<` followed by a letter) into `attrs`, under the rules of the
/// tokenizer for the subset this reader takes; `None` for anything outside it.
fn read_start_tag(b: &[u8], lt: usize, attrs: &mut Vec<AttrAt>) -> Option<StartTag> {
    attrs.clear();
    let n = b.len();
    let mut j = name_end(b, lt + 1)?;
    let name = lt + 1..j;
    loop {
        // Before an attribute name.
        while j < n && is_space(b[j]) {
            j += 1;
        }
        match b.get(j) {
            None | Some(b'=' | b'\r' | b'\0') => return None,
            Some(b'>') => return Some(StartTag { name, self_closing: false, end: j + 1 }),
            Some(b'/') => {
                return (b.get(j + 1) == Some(&b'>')).then_some(StartTag { name, self_closing: true, end: j + 2 });
            }
            Some(_) => {}
        }
        // The attribute's name.
        let start = j;
        while j < n && !matches!(b[j], b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>' | b'=') {
            if matches!(b[j], b'"' | b'\'' | b'<' | b'\0' | b'\r') {
                return None;
            }
            j += 1;
        }
        let attr_name = start..j;
        let mut k = j;
        while k < n && is_space(b[k]) {
            k += 1;
        }
        if b.get(k) != Some(&b'=') {
            // No value: what follows starts the next attribute or ends the tag.
            attrs.push(AttrAt { name: attr_name, value: None });
            j = k;
            continue;
        }
        j = k + 1;
        while j < n && is_space(b[j]) {
            j += 1;
        }
        let value = match b.get(j) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = j + 1;
                // A CR or NUL on the way stops the fast path.
                let end = start + memchr3(quote, b'\r', b'\0', &b[start..])?;
                if b[end] != quote {
                    return None;
                }
                // After the closing quote comes a space, `/` or `>` (else html5gum reports the
                // missing space and goes on; so does this reader, by leaving it the tag).
                if !b.get(end + 1).is_some_and(|&c| is_space(c) || c == b'/' || c == b'>') {
                    return None;
                }
                j = end + 1;
                start..end
            }
            Some(b'>') | None => return None,
            Some(_) => {
                let start = j;
                while j < n && !is_space(b[j]) && b[j] != b'>' {
                    if matches!(b[j], b'"' | b'\'' | b'<' | b'=' | b'`' | b'\r' | b'\0') {
                        return None;
                    }
                    j += 1;
                }
                if j == n {
                    return None;
                }
                start..j
            }
        };
        attrs.push(AttrAt { name: attr_name, value: Some(value) });
    }
}

/// Reads the start tag at `lt` (a `<` followed by a letter); returns the offset after it and
/// after the raw text and end tag of an element like `<style>`, or `None` to leave the tag to
/// html5gum (then nothing of it has reached the page's links and ids).
///
/// Most tags of a page (`<p>`, `<li class="...">`, `<td>`) are skipped once read: in HTML
/// content, an element that is not [`is_special`] and has no attribute that
/// [`super::kind_of`] knows, on which the emitter would do nothing. The others are emitted
/// from what was read, with the same calls in the same order as html5gum makes them.
fn start_tag(sink: &mut Sink, b: &[u8], lt: usize, buf: &mut Buffers) -> Option<usize> {
    let n = b.len();
    let tag = read_start_tag(b, lt, &mut buf.attrs)?;
    let name = lowercase(&b[tag.name.clone()], &mut buf.name);
    if sink.frames.is_empty()
        && !is_special(name)
        && buf.attrs.iter().all(|a| super::kind_of(lowercase(&b[a.name.clone()], &mut buf.attr_name)).is_none())
    {
        return Some(tag.end);
    }
    let links_before = sink.out.links.len();
    let ids_before = sink.out.ids.len();
    sink.pos = lt + 1;
    sink.start_open_tag();
    sink.init_start_tag();
    sink.pos = tag.name.end;
    sink.push_tag_name(name);
    for a in &buf.attrs {
        sink.pos = a.name.start + 1;
        sink.init_attribute();
        sink.pos = a.name.end;
        sink.push_attribute_name(lowercase(&b[a.name.clone()], &mut buf.attr_name));
        let Some(value) = a.value.clone() else { continue };
        let raw = &b[value.clone()];
        sink.pos = value.start;
        sink.init_attribute_value();
        if sink.capturing && !raw.is_empty() {
            sink.pos = value.end;
            if memchr(b'&', raw).is_some() {
                buf.value.clear();
                decode(raw, &mut buf.value)?;
                sink.push_attribute_value(&buf.value);
            } else {
                sink.push_attribute_value(raw);
            }
        }
    }
    if tag.self_closing {
        sink.set_self_closing();
    }
    let j = tag.end;
    sink.pos = j;
    let Some(state) = sink.emit_current_tag() else { return Some(j) };
    if state == State::PlainText {
        return Some(n);
    }
    // Raw text, RCDATA or script data, up to the end tag of the element.
    match raw_text_end(b, j, &sink.last_start_tag, state == State::ScriptData) {
        RawEnd::At(close) => {
            let name = &mut buf.name;
            name.clear();
            name.extend_from_slice(&sink.last_start_tag);
            sink.pos = close + 1;
            sink.start_open_tag();
            sink.init_end_tag();
            sink.pos = close + 2 + name.len();
            sink.push_tag_name(name);
            let after = close + 2 + name.len() + 1;
            sink.pos = after;
            // An end tag switches to no other state.
            let _ = sink.emit_current_tag();
            Some(after)
        }
        RawEnd::Eof => Some(n),
        RawEnd::Unusual => {
            // Undo the start tag: html5gum reads it again.
            sink.out.links.truncate(links_before);
            sink.out.ids.truncate(ids_before);
            sink.style_start = None;
            sink.last_start_tag.clear();
            None
        }
    }
}

/// Whether the raw text (to the end of the page) can be skipped as is: no CR (positions), and in
/// a script no `<!--`, which changes how the end tag is found.
fn raw_text_is_simple(text: &[u8], script: bool) -> bool {
    memchr(b'\r', text).is_none() && !(script && memmem::find(text, b"<!--").is_some())
}

/// How raw text ends.
enum RawEnd {
    /// At the end tag whose `<` is here.
    At(usize),
    /// At the end of the page.
    Eof,
    /// The text is not simple (see [`raw_text_is_simple`]), or its end tag has attributes or a
    /// space before its `>`: html5gum reads it.
    Unusual,
}

/// Where the raw text starting at `from`, of the element `name`, ends.
fn raw_text_end(b: &[u8], from: usize, name: &[u8], script: bool) -> RawEnd {
    let simple = |end: usize| raw_text_is_simple(&b[from..end], script);
    let mut p = from;
    loop {
        let Some(k) = memchr(b'<', &b[p..]) else {
            return if simple(b.len()) { RawEnd::Eof } else { RawEnd::Unusual };
        };
        let at = p + k;
        let rest = &b[at + 1..];
        if rest.first() == Some(&b'/') && rest.len() > name.len() && rest[1..1 + name.len()].eq_ignore_ascii_case(name)
        {
            match rest.get(1 + name.len()) {
                Some(b'>') => return if simple(at) { RawEnd::At(at) } else { RawEnd::Unusual },
                Some(&c) if is_space(c) || c == b'/' => return RawEnd::Unusual,
                _ => {}
            }
        }
        p = at + 1;
    }
}

/// Reads the end tag at `lt` (`</` and a letter); `None` to leave it to html5gum.
fn end_tag(sink: &mut Sink, b: &[u8], lt: usize, name: &mut Vec<u8>) -> Option<usize> {
    let start = lt + 2;
    let j = name_end(b, start)?;
    // An end tag with attributes, a slash or a space before `>` is rare: html5gum reads it.
    if b.get(j) != Some(&b'>') {
        return None;
    }
    if sink.frames.is_empty() && sink.style_start.is_none() {
        // In HTML content with no `<style>` open, an end tag changes nothing the emitter keeps
        // but the last start tag, which it forgets.
        sink.last_start_tag.clear();
        return Some(j + 1);
    }
    sink.pos = lt + 1;
    sink.start_open_tag();
    sink.init_end_tag();
    sink.pos = j;
    sink.push_tag_name(lowercase(&b[start..j], name));
    sink.pos = j + 1;
    // An end tag switches to no other state.
    let _ = sink.emit_current_tag();
    Some(j + 1)
}

/// Skips a comment or doctype at `lt` (`<!`); `None` for anything unusual (an empty comment
/// `<!-->`, `--!>`, a CR, a quoted doctype, CDATA, a bogus comment).
fn markup_declaration(b: &[u8], lt: usize) -> Option<usize> {
    let rest = &b[lt + 2..];
    if let Some(body) = rest.strip_prefix(b"--") {
        if body.first() == Some(&b'>') || body.starts_with(b"->") {
            return None;
        }
        let end = memmem::find(body, b"-->")?;
        let text = &body[..end];
        if memchr(b'\r', text).is_some() || memmem::find(text, b"--!>").is_some() {
            return None;
        }
        return Some(lt + 4 + end + 3);
    }
    if rest.len() > 7 && rest[..7].eq_ignore_ascii_case(b"doctype") && is_space(rest[7]) {
        let end = memchr(b'>', rest)?;
        if rest[..end].iter().any(|c| matches!(c, b'"' | b'\'' | b'\r' | b'\0')) {
            return None;
        }
        return Some(lt + 2 + end + 1);
    }
    None
}

/// The named character references HTML escaping writes, with what they stand for.
const NAMED: &[(&[u8], u8)] = &[(b"amp;", b'&'), (b"lt;", b'<'), (b"gt;", b'>'), (b"quot;", b'"'), (b"apos;", b'\'')];

/// Decodes the character references of an attribute value written the way HTML escaping writes
/// them; `None` for any other (a named reference other than the five below, a numeric one that
/// the tokenizer replaces or rejects, `&#` without digits).
fn decode(raw: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let mut i = 0;
    while let Some(k) = memchr(b'&', &raw[i..]) {
        out.extend_from_slice(&raw[i..i + k]);
        i += k;
        let rest = &raw[i + 1..];
        if rest.first() == Some(&b'#') {
            let hex = matches!(rest.get(1), Some(b'x' | b'X'));
            let digits_from = if hex { 2 } else { 1 };
            let digits = rest[digits_from..]
                .iter()
                .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
                .count();
            if digits == 0 || digits > 8 {
                return None;
            }
            let text = std::str::from_utf8(&rest[digits_from..digits_from + digits]).ok()?;
            let code = u32::from_str_radix(text, if hex { 16 } else { 10 }).ok()?;
            // NUL, CR, the C1 range (mapped through a table) and non-characters of UTF-16 are
            // replaced by the tokenizer.
            if code == 0 || code == 0x0d || (0x80..=0x9f).contains(&code) {
                return None;
            }
            let c = char::from_u32(code)?;
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            let mut len = 1 + digits_from + digits;
            if rest.get(digits_from + digits) == Some(&b';') {
                len += 1;
            }
            i += len;
            continue;
        }
        if let Some((entity, c)) = NAMED.iter().find(|(e, _)| rest.starts_with(e)) {
            out.push(*c);
            i += 1 + entity.len();
        } else if rest.first().is_some_and(u8::is_ascii_alphanumeric) {
            return None;
        } else {
            // A lone `&` is itself.
            out.push(b'&');
            i += 1;
        }
    }
    out.extend_from_slice(&raw[i..]);
    Some(())
}
