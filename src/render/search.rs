//! The search index, cut into small files a reader fetches only as a search needs them.
//!
//! - `data/search/index.json`, the manifest: how many documents, how many of them are employers
//!   (documents `0..employers`), how many documents a document file holds, the first word of
//!   every word file, in order, and a version that changes whenever any file does.
//! - `data/search/words/<n>.bin`: the words (normalised: lower case, accents off Latin
//!   letters), sorted, cut into files of about [`CHUNK_BYTES`]; each word with the documents it
//!   is in, twice: those where it is in the title (an employer's name, a story's or page's title),
//!   and those where it is only in the rest (a story's summary and body, its employer's name and
//!   themes; an employer's sector and region; a page's description and text). See [`encode`].
//! - `data/search/docs/<n>.json`: the title, address, kind and summary of documents
//!   `n * FRAGMENT_DOCS ..`, fetched only for the results shown.
//!
//! Documents are numbered employers first (directory order), then stories (newest first), then
//! free pages and the methodology; results are shown title matches first, in that order. Only
//! published text goes in: nothing of an employer but its name, sector and region.

use super::OutputFile;
use rustc_hash::FxHashMap;
use std::sync::Mutex;

/// Documents in one document file: ten results in the worst case fetch ten of them, about
/// 7 KB each.
pub const FRAGMENT_DOCS: usize = 32;
/// A word file is cut once it holds this much; a word whose documents take more is a file alone.
pub const CHUNK_BYTES: usize = 24 * 1024;
/// Longer words are not indexed (nobody searches for them; they are mostly runs of digits).
const MAX_WORD_CHARS: usize = 40;
const SHARDS: usize = 64;

/// Accented Latin letters and the letter each is searched as (the browser folds the same way:
/// `themes/default/static/site.js` carries the same two strings).
pub const FOLD_FROM: &str = "àáâãäåāăąçćĉċčďèéêëēĕėęěĝğġģĥìíîïĩīĭįĵķĺļľñńņňòóôõöōŏőŕŗřśŝşšţťùúûüũūŭůűųŵýÿŷźżž";
pub const FOLD_TO: &str = "aaaaaaaaacccccdeeeeeeeeegggghiiiiiiiijklllnnnnoooooooorrrssssttuuuuuuuuuuwyyyzzz";

fn fold(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    match FOLD_FROM.chars().position(|f| f == c) {
        Some(i) => FOLD_TO.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

/// Combining accents: part of a word, dropped from it.
fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Calls `f` with each word of `text`, normalised: a run of letters and digits, in lower case,
/// accents off Latin letters, at most [`MAX_WORD_CHARS`] long (longer runs are skipped).
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    scan(text, false, &mut String::new(), &mut |w, _| f(w));
}

/// [`for_each_word`] over sanitised HTML: tags and character references are word breaks.
pub fn for_each_html_word(html: &str, mut f: impl FnMut(&str)) {
    scan(html, true, &mut String::new(), &mut |w, _| f(w));
}

/// What a byte is to [`scan`].
const BREAK: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const TAG: u8 = 3;
const REFERENCE: u8 = 4;
const OTHER: u8 = 5;
const CLASS: [u8; 256] = {
    let mut t = [BREAK; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            LOWER
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c == b'<' {
            TAG
        } else if c == b'&' {
            REFERENCE
        } else if c >= 0x80 {
            OTHER
        } else {
            BREAK
        };
        b += 1;
    }
    t
};

/// Eight copies of byte `b`, one in each byte of a word.
const fn bytes8(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// Where the run of [`LOWER`] bytes (`a`-`z`, `0`-`9`) that starts at `i` ends. Eight bytes at a
/// time: reading a byte at a time, with a branch on each, took half the time of indexing.
fn lower_run_end(bytes: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = bytes8(0x80);
    while let Some(eight) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        // Per byte, on its low seven bits (no carry leaves a byte): the high bit of
        // `x + (0x80 - lo)` is set when x >= lo, that of `x + (0x7f - hi)` when x > hi.
        let x = w & !HIGH;
        let in_range = |lo: u8, hi: u8| (x + bytes8(0x80 - lo)) & !(x + bytes8(0x7f - hi));
        let lower = (in_range(b'a', b'z') | in_range(b'0', b'9')) & !w & HIGH;
        let other = !lower & HIGH;
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && CLASS[bytes[i] as usize] == LOWER {
        i += 1;
    }
    i
}

/// The words of `text` (of HTML if `html`). A word of lower-case ASCII, most of them, is handed
/// on as it lies in `text`, with its [`pack`]ed key where 16 bytes of `text` start at it (read in
/// one load; 0 otherwise); only others are built, in `word`, and only their other characters
/// decoded.
fn scan(text: &str, html: bool, word: &mut String, f: &mut impl FnMut(&str, u128)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let class = CLASS[bytes[i] as usize];
        if class == LOWER || class == UPPER || class == OTHER {
            let start = i;
            i = lower_run_end(bytes, i);
            let plain = i == bytes.len() || CLASS[bytes[i] as usize] != UPPER && CLASS[bytes[i] as usize] != OTHER;
            if plain {
                let len = i - start;
                if len <= MAX_WORD_CHARS {
                    let key = match bytes.get(start..start + 16) {
                        Some(sixteen) if len <= 16 => {
                            let all = u128::from_le_bytes(sixteen.try_into().unwrap_or([0; 16]));
                            all & u128::MAX.checked_shr(8 * (16 - len) as u32).unwrap_or(0)
                        }
                        _ => 0,
                    };
                    f(&text[start..i], key);
                }
                continue;
            }
            // Upper case or beyond ASCII: built a character at a time.
            word.clear();
            word.push_str(&text[start..i]);
            let mut chars = i - start;
            while i < bytes.len() {
                match CLASS[bytes[i] as usize] {
                    LOWER | UPPER => {
                        word.push(bytes[i].to_ascii_lowercase() as char);
                        chars += 1;
                        i += 1;
                    }
                    OTHER => {
                        let c = text[i..].chars().next().unwrap_or(' ');
                        if !(c.is_alphanumeric() || is_mark(c)) {
                            break;
                        }
                        i += c.len_utf8();
                        for l in c.to_lowercase() {
                            if !is_mark(l) {
                                word.push(fold(l));
                                chars += 1;
                            }
                        }
                    }
                    _ => break,
                }
            }
            if !word.is_empty() && chars <= MAX_WORD_CHARS {
                f(word, 0);
            }
            if i < bytes.len() && CLASS[bytes[i] as usize] == OTHER {
                // A character that is not part of a word (a dash, a space of another kind).
                i += text[i..].chars().next().map_or(1, char::len_utf8);
            }
        } else {
            i += 1;
            if html && (class == TAG || class == REFERENCE) {
                let (stop, limit) = if class == TAG { (b'>', bytes.len()) } else { (b';', (i + 12).min(bytes.len())) };
                if let Some(e) = bytes[i..limit].iter().position(|&x| x == stop) {
                    i += e + 1;
                }
            }
        }
    }
}

/// One thread's words of the documents it was last given, each with its documents (the high bit
/// marks a title), merged into the shared tables every [`BATCH_DOCS`] documents: the shared
/// tables are touched once a word per batch, not once a word per document. A word of up to 16
/// bytes (nearly all) is its own key, packed in a `u128`, so finding it reads no other memory.
#[derive(Default)]
struct Batch {
    short: FxHashMap<u128, Seen>,
    long: FxHashMap<Box<str>, Seen>,
    docs: usize,
}

/// A word's documents in a batch, and the last of them (the one being read, if it is in it).
struct Seen {
    last: u32,
    docs: Vec<u32>,
}

/// Documents a [`Batch`] holds before it is merged.
const BATCH_DOCS: usize = 256;
const TITLE: u32 = 1 << 31;

/// A word of up to 16 bytes as a number (no word holds a zero byte, so the padding is
/// unambiguous).
fn pack(w: &str) -> Option<u128> {
    let b = w.as_bytes();
    if b.len() > 16 {
        return None;
    }
    // Shifted in a byte at a time: a copy into a buffer becomes a call to `memcpy` for every
    // word, which took a twentieth of a large build.
    Some(b.iter().rev().fold(0u128, |k, &x| k << 8 | u128::from(x)))
}

fn unpack(k: u128) -> String {
    let bytes = k.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(16);
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

impl Batch {
    /// Adds word `w` of document `doc`; `key` is its [`pack`]ed form, or 0 if not known yet.
    fn add(&mut self, w: &str, key: u128, doc: u32) {
        let key = if key != 0 { Some(key) } else { pack(w) };
        let seen = match key {
            Some(k) => self.short.entry(k).or_insert(Seen { last: u32::MAX, docs: Vec::new() }),
            None => match self.long.get_mut(w) {
                Some(s) => s,
                None => self.long.entry(w.into()).or_insert(Seen { last: u32::MAX, docs: Vec::new() }),
            },
        };
        // A document's words come one document at a time: seen already if it is the last.
        if seen.last != doc & !TITLE {
            seen.last = doc & !TITLE;
            seen.docs.push(doc);
        }
    }
}

/// The documents a word is in: a sorted list while sparse, a bitmap once denser than one in 32
/// (so a word never takes more than `docs / 8` bytes, however common).
enum Ids {
    List(Vec<u32>),
    Bits(Vec<u64>),
}

impl Ids {
    fn add(&mut self, doc: u32, docs: usize) {
        match self {
            Ids::List(v) => {
                v.push(doc);
                if v.len() * 32 > docs {
                    let mut bits = vec![0u64; docs.div_ceil(64)];
                    for &d in v.iter() {
                        bits[d as usize / 64] |= 1 << (d % 64);
                    }
                    *self = Ids::Bits(bits);
                }
            }
            Ids::Bits(b) => b[doc as usize / 64] |= 1 << (doc % 64),
        }
    }

    /// The documents, in order.
    fn sorted(self) -> Vec<u32> {
        match self {
            Ids::List(mut v) => {
                v.sort_unstable();
                v
            }
            Ids::Bits(b) => {
                let mut v = Vec::new();
                for (i, w) in b.iter().enumerate() {
                    let mut w = *w;
                    while w != 0 {
                        v.push(i as u32 * 64 + w.trailing_zeros());
                        w &= w - 1;
                    }
                }
                v
            }
        }
    }
}

struct Postings {
    title: Ids,
    other: Ids,
}

/// Collects the words of every document, from many threads at once.
pub struct Builder {
    docs: usize,
    shards: Vec<Mutex<FxHashMap<Box<str>, Postings>>>,
    /// Batches not in use by a thread just now.
    pool: Mutex<Vec<Batch>>,
}

impl Builder {
    /// An index of `docs` documents (numbered `0..docs`).
    pub fn new(docs: usize) -> Self {
        Builder { docs, shards: (0..SHARDS).map(|_| Mutex::default()).collect(), pool: Mutex::default() }
    }

    pub fn docs(&self) -> usize {
        self.docs
    }

    /// Adds document `doc`: the words of `title` rank it above documents that have them only
    /// in `other` or in the sanitised HTML `html`.
    pub fn add(&self, doc: usize, title: &[&str], other: &[&str], html: &[&str]) {
        if doc >= self.docs {
            return;
        }
        let mut batch = self.pool.lock().expect("search lock").pop().unwrap_or_default();
        let mut word = String::new();
        // The title first: a word met there first is marked so, and not added again.
        for (parts, is_html, flag) in [(title, false, TITLE), (other, false, 0), (html, true, 0)] {
            for part in parts {
                scan(part, is_html, &mut word, &mut |w, key| batch.add(w, key, doc as u32 | flag));
            }
        }
        batch.docs += 1;
        if batch.docs >= BATCH_DOCS {
            self.merge(&mut batch);
        }
        self.pool.lock().expect("search lock").push(batch);
    }

    /// A batch's words into the shared tables; the batch is left empty.
    fn merge(&self, batch: &mut Batch) {
        let shard = |w: &str| {
            use std::hash::{BuildHasher, Hasher};
            let mut h = rustc_hash::FxBuildHasher.build_hasher();
            h.write(w.as_bytes());
            (h.finish() >> 40) as usize % SHARDS
        };
        let short = batch.short.drain().map(|(k, s)| (unpack(k), s.docs));
        let long = batch.long.drain().map(|(w, s)| (w.into_string(), s.docs));
        for (w, docs) in short.chain(long) {
            let mut map = self.shards[shard(&w)].lock().expect("search lock");
            let p = match map.get_mut(&*w) {
                Some(p) => p,
                None => map
                    .entry(w.into_boxed_str())
                    .or_insert(Postings { title: Ids::List(Vec::new()), other: Ids::List(Vec::new()) }),
            };
            for d in docs {
                if d & TITLE != 0 { p.title.add(d & !TITLE, self.docs) } else { p.other.add(d, self.docs) }
            }
        }
        batch.docs = 0;
    }

    /// Every file of the index, handed to `emit`: the word files (each word's documents are
    /// encoded and dropped in turn), the document files (`doc(n)` gives document `n`; made in
    /// parallel) and last the manifest. Documents `0..employers` are employers.
    pub fn write<'d>(
        self,
        employers: usize,
        doc: &(dyn Fn(usize) -> Doc<'d> + Sync),
        emit: &(dyn Fn(OutputFile) + Sync),
    ) {
        use rayon::prelude::*;
        for mut batch in std::mem::take(&mut *self.pool.lock().expect("search lock")) {
            self.merge(&mut batch);
        }
        let docs = self.docs;
        let mut words: Vec<(Box<str>, Postings)> =
            self.shards.into_iter().flat_map(|s| s.into_inner().expect("search lock")).collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut firsts: Vec<Box<str>> = Vec::new();
        let mut hashes: Vec<u64> = Vec::new();
        let mut chunk = Vec::with_capacity(CHUNK_BYTES * 2);
        let flush = |chunk: &mut Vec<u8>, n: usize, hashes: &mut Vec<u64>| {
            hashes.push(crate::hash::key(&[chunk]));
            emit(OutputFile { path: format!("data/search/words/{n}.bin"), bytes: std::mem::take(chunk) });
        };
        let mut ids = Vec::new();
        let mut previous: Box<str> = "".into();
        for (word, p) in words {
            ids.clear();
            encode_ids(&mut ids, &p.title.sorted());
            encode_ids(&mut ids, &p.other.sorted());
            if !chunk.is_empty() && chunk.len() + word.len() + ids.len() > CHUNK_BYTES {
                flush(&mut chunk, firsts.len() - 1, &mut hashes);
            }
            let shared = if chunk.is_empty() {
                firsts.push(word.clone());
                0
            } else {
                common_prefix(&previous, &word)
            };
            varint(&mut chunk, shared as u64);
            varint(&mut chunk, (word.len() - shared) as u64);
            chunk.extend_from_slice(&word.as_bytes()[shared..]);
            chunk.extend_from_slice(&ids);
            previous = word;
        }
        if !chunk.is_empty() {
            flush(&mut chunk, firsts.len() - 1, &mut hashes);
        }
        // Document files, in parallel: each is independent of the others.
        let files = docs.div_ceil(FRAGMENT_DOCS);
        let doc_hashes: Vec<u64> = (0..files)
            .into_par_iter()
            .map(|n| {
                let range = n * FRAGMENT_DOCS..((n + 1) * FRAGMENT_DOCS).min(docs);
                let items: Vec<(&str, String, &str, std::borrow::Cow<'_, str>)> = range
                    .map(|i| {
                        let d = doc(i);
                        (d.title, d.url, d.kind, d.summary)
                    })
                    .collect();
                let bytes = crate::output::data::compact_json(&items);
                let h = crate::hash::key(&[&bytes]);
                emit(OutputFile { path: format!("data/search/docs/{n}.json"), bytes });
                h
            })
            .collect();
        hashes.extend(doc_hashes);
        let all: Vec<u8> = hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        #[derive(serde::Serialize)]
        struct Manifest<'a> {
            version: String,
            docs: usize,
            employers: usize,
            per_file: usize,
            words: &'a [Box<str>],
        }
        let manifest = Manifest {
            version: format!("{:016x}", crate::hash::key(&[&all, &(docs as u64).to_le_bytes()])),
            docs,
            employers,
            per_file: FRAGMENT_DOCS,
            words: &firsts,
        };
        emit(OutputFile { path: MANIFEST.into(), bytes: crate::output::data::compact_json(&manifest) });
    }
}

/// Where the manifest is, below the site's base.
pub const MANIFEST: &str = "data/search/index.json";

/// A document as its result shows it.
pub struct Doc<'a> {
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
    pub summary: std::borrow::Cow<'a, str>,
}

/// Bytes `a` and `b` share at their start, at a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for ((i, x), y) in a.char_indices().zip(b.chars()) {
        if x != y {
            return i;
        }
        n = i + x.len_utf8();
    }
    n
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A sorted list of documents, whichever way is smaller: the gaps between them as varints
/// (`len << 1`), or a bitmap of every document up to the last (`len << 1 | 1`; bit `d % 8` of
/// byte `d / 8`).
fn encode_ids(out: &mut Vec<u8>, ids: &[u32]) {
    let mut gaps = Vec::with_capacity(ids.len() + 4);
    let mut last: i64 = -1;
    for &d in ids {
        varint(&mut gaps, (d as i64 - last) as u64);
        last = d as i64;
    }
    let bitmap_len = ids.last().map_or(0, |&d| d as usize / 8 + 1);
    if bitmap_len < gaps.len() {
        let mut bits = vec![0u8; bitmap_len];
        for &d in ids {
            bits[d as usize / 8] |= 1 << (d % 8);
        }
        varint(out, (bitmap_len as u64) << 1 | 1);
        out.extend_from_slice(&bits);
    } else {
        varint(out, (gaps.len() as u64) << 1);
        out.extend_from_slice(&gaps);
    }
}

// One word of a word file: the bytes it shares with the word before it in the file (varint; 0
// for a file's first word), the length of the rest (varint) and the rest (UTF-8), then its title
// documents and its other documents (each as `encode_ids`).

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn words(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        for_each_word(text, |w| v.push(w.to_string()));
        v
    }

    #[test]
    fn words_are_lower_case_without_accents() {
        assert_eq!(FOLD_FROM.chars().count(), FOLD_TO.chars().count());
        assert_eq!(words("Café, SEÑOR; École naïve x2y it's"), ["cafe", "senor", "ecole", "naive", "x2y", "it", "s"]);
        // A decomposed accent (e + U+0301) is dropped as the browser drops it.
        assert_eq!(words("cafe\u{301}s"), ["cafes"]);
        assert_eq!(words(&"a".repeat(41)), Vec::<String>::new());
        assert_eq!(words(&"a".repeat(40)).len(), 1);
    }

    #[test]
    fn a_word_read_in_one_load_has_the_key_it_would_be_packed_to() {
        // Words of 1 to 16 bytes with more text after them are read in one load and masked;
        // those near the end, or longer, are packed a byte at a time. Both give the same key.
        let text = "a alpha beta wordsofexactly16 wordsofexactly17x <b>cd</b> Upper mixedCase x2y tail end";
        let (mut loaded, mut words) = (0, 0);
        scan(text, true, &mut String::new(), &mut |w, key| {
            words += 1;
            if key != 0 {
                assert_eq!(Some(key), pack(w), "{w}");
                assert_eq!(unpack(key), w);
                loaded += 1;
            }
        });
        assert_eq!(words, 11);
        assert_eq!(loaded, 5, "a, alpha, beta, wordsofexactly16 and cd are read in one load");
    }

    #[test]
    fn a_run_of_lower_case_ends_at_the_first_other_byte_wherever_it_lies() {
        // Every byte value, at every place in and past the first eight bytes read at once.
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut bytes = b"abcdefghijklmnopqrstuvwxyz0123456789".to_vec();
                bytes[at] = b;
                let mut want = 0;
                while want < bytes.len() && CLASS[bytes[want] as usize] == LOWER {
                    want += 1;
                }
                assert_eq!(lower_run_end(&bytes, 0), want, "byte {b:#x} at {at}");
                assert_eq!(lower_run_end(&bytes[..at + 1], 0), want.min(at + 1), "byte {b:#x} ending the text");
            }
        }
    }

    #[test]
    fn html_words_skip_tags_and_references() {
        let mut v = Vec::new();
        let html = "<p>Levy <em>trans</em>fers&amp;more <a href=\"/x-y\">here</a>&#233;t&eacute;</p>";
        for_each_html_word(html, |w| v.push(w.to_string()));
        assert_eq!(v, ["levy", "trans", "fers", "more", "here", "t"]);
    }

    fn varint(b: &[u8], at: &mut usize) -> u64 {
        let (mut v, mut s) = (0u64, 0);
        loop {
            let x = b[*at];
            *at += 1;
            v |= ((x & 127) as u64) << s;
            s += 7;
            if x & 128 == 0 {
                return v;
            }
        }
    }

    fn ids(b: &[u8], at: &mut usize) -> (bool, Vec<u32>) {
        let h = varint(b, at);
        let (len, bits) = ((h >> 1) as usize, h & 1 == 1);
        let end = *at + len;
        let mut out = Vec::new();
        if bits {
            for (i, x) in b[*at..end].iter().enumerate() {
                out.extend((0..8).filter(|k| x >> k & 1 == 1).map(|k| (i * 8 + k) as u32));
            }
            *at = end;
        } else {
            let mut d: i64 = -1;
            while *at < end {
                d += varint(b, at) as i64;
                out.push(d as u32);
            }
        }
        (bits, out)
    }

    type Decoded = BTreeMap<String, (Vec<u32>, Vec<u32>)>;

    /// Reads every file back as the browser does.
    fn read_back(files: &BTreeMap<String, Vec<u8>>) -> (serde_json::Value, Decoded, Vec<(bool, usize)>) {
        let manifest: serde_json::Value = serde_json::from_slice(&files[MANIFEST]).unwrap();
        let firsts: Vec<&str> = manifest["words"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
        let mut all = Decoded::new();
        let mut kinds = Vec::new();
        let mut last = String::new();
        for (n, first) in firsts.iter().enumerate() {
            let b = &files[&format!("data/search/words/{n}.bin")];
            let mut at = 0;
            let mut prev: Vec<u8> = Vec::new();
            while at < b.len() {
                let keep = varint(b, &mut at) as usize;
                let len = varint(b, &mut at) as usize;
                let mut w = prev[..keep].to_vec();
                w.extend_from_slice(&b[at..at + len]);
                at += len;
                let word = String::from_utf8(w.clone()).unwrap();
                if prev.is_empty() {
                    assert_eq!(&word, first, "the manifest names each file's first word");
                }
                assert!(word > last, "words sorted: {last} then {word}");
                last = word.clone();
                prev = w;
                let (tb, t) = ids(b, &mut at);
                let (ob, o) = ids(b, &mut at);
                kinds.push((tb, t.len()));
                kinds.push((ob, o.len()));
                all.insert(word, (t, o));
            }
        }
        (manifest, all, kinds)
    }

    fn build(docs: usize, text: impl Fn(usize) -> (String, String) + Sync) -> BTreeMap<String, Vec<u8>> {
        use rayon::prelude::*;
        let b = Builder::new(docs);
        (0..docs).into_par_iter().for_each(|i| {
            let (t, o) = text(i);
            b.add(i, &[&t], &[&o], &[]);
        });
        let files = Mutex::new(BTreeMap::new());
        let doc = |i: usize| Doc {
            title: "T",
            url: format!("/d/{i}/"),
            kind: "Story",
            summary: std::borrow::Cow::Borrowed("s"),
        };
        b.write(2, &doc, &|f| {
            assert!(files.lock().unwrap().insert(f.path, f.bytes).is_none(), "each file once");
        });
        files.into_inner().unwrap()
    }

    #[test]
    fn every_word_is_found_with_its_documents_in_small_files() {
        // 3,000 documents: "common" in all of them, "rare<k>" in a few, "titled" in the title of
        // every tenth; 5,000 distinct words in all.
        let text = |i: usize| {
            let title = if i.is_multiple_of(10) { "Titled story".to_string() } else { "Story".to_string() };
            let other = format!("common rare{} rare{} titled body{}", i % 1000, (i * 7) % 1000, i);
            (title, other)
        };
        let files = build(3000, text);
        let (manifest, all, kinds) = read_back(&files);
        assert_eq!(manifest["docs"], 3000);
        assert_eq!(manifest["employers"], 2);
        let chunks = manifest["words"].as_array().unwrap().len();
        assert!(chunks > 1, "cut into several word files");
        for n in 0..chunks {
            assert!(files[&format!("data/search/words/{n}.bin")].len() <= CHUNK_BYTES);
        }
        let (t, o) = &all["common"];
        assert!(t.is_empty() && *o == (0..3000).collect::<Vec<u32>>());
        let (t, o) = &all["titled"];
        assert_eq!(*t, (0..3000).step_by(10).collect::<Vec<u32>>(), "title documents");
        assert_eq!(o.len(), 2700, "the rest, without those in the title");
        let (_, o) = &all["rare7"];
        let mut want: Vec<u32> = (0..3000u32).filter(|i| i % 1000 == 7 || (i * 7) % 1000 == 7).collect();
        want.dedup();
        assert_eq!(*o, want);
        assert_eq!(all["body2999"].1, [2999]);
        // A word in every document is a bitmap; a rare one a list of gaps.
        assert!(kinds.contains(&(true, 3000)) && kinds.contains(&(false, 1)));
        // Document files: 32 documents each, in order.
        let docs: Vec<serde_json::Value> = serde_json::from_slice(&files["data/search/docs/1.json"]).unwrap();
        assert_eq!(docs.len(), FRAGMENT_DOCS);
        assert_eq!(docs[0][1], format!("/d/{FRAGMENT_DOCS}/"));
        let last = (3000 - 1) / FRAGMENT_DOCS;
        assert!(files.contains_key(&format!("data/search/docs/{last}.json")));
        assert!(!files.contains_key(&format!("data/search/docs/{}.json", last + 1)));
    }

    #[test]
    fn the_files_are_the_same_every_build_and_their_version_follows_them() {
        let text = |i: usize| (format!("t{}", i % 13), format!("w{} w{} shared", i % 97, i % 31));
        let a = build(2000, text);
        let b = build(2000, text);
        assert_eq!(a, b);
        let c = build(2000, |i| (format!("t{}", i % 13), format!("w{} w{} other", i % 97, i % 31)));
        let version = |f: &BTreeMap<String, Vec<u8>>| {
            serde_json::from_slice::<serde_json::Value>(&f[MANIFEST]).unwrap()["version"].clone()
        };
        assert_ne!(version(&a), version(&c));
    }

    #[test]
    fn a_common_word_takes_at_most_an_eighth_of_a_byte_a_document() {
        let mut ids = Ids::List(Vec::new());
        for d in (0..10_000).rev() {
            ids.add(d, 10_000);
        }
        assert!(matches!(ids, Ids::Bits(ref b) if b.len() * 8 <= 10_000 / 8 + 8));
        assert_eq!(ids.sorted(), (0..10_000).collect::<Vec<u32>>());
    }

    #[test]
    fn a_long_document_keeps_each_of_its_words_once() {
        // 3,000 distinct words, each three times, one of them also in the title: the document's
        // own table grows past its first size and no word is lost or counted twice.
        let body: String = (0..9000).map(|i| format!("w{} ", i % 3000)).collect();
        let b = Builder::new(3);
        let long = "<p>Internationalisation internationalisation wordsofexactly16</p>";
        b.add(1, &["W7"], &[], &[&format!("<p>{body}</p>"), long]);
        let files = Mutex::new(BTreeMap::new());
        let doc = |i: usize| Doc { title: "T", url: format!("/{i}/"), kind: "Page", summary: "".into() };
        b.write(0, &doc, &|f| {
            files.lock().unwrap().insert(f.path, f.bytes);
        });
        let (_, all, _) = read_back(&files.into_inner().unwrap());
        assert_eq!(all.len(), 3002);
        assert_eq!(all["internationalisation"], (vec![], vec![1]), "a word of more than 16 bytes");
        assert_eq!(all["wordsofexactly16"], (vec![], vec![1]));
        assert!(all.values().all(|(t, o)| t.len() + o.len() == 1));
        assert_eq!(all["w7"], (vec![1], vec![]));
        assert_eq!(all["w2999"], (vec![], vec![1]));
    }
}
