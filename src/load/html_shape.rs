//! The shape of the tree the sanitiser's HTML parser will build from a page's HTML, measured by
//! running that same parser (html5ever, as a fragment inside a `<div>`, as ammonia does) into a
//! sink that keeps no tree, only counts.
//!
//! Counting the tags written in the file is not enough: the HTML parser creates elements the
//! file never wrote. A formatting element left open (`<b>`, `<i>`, `<em>`, `<a>`, `<font>`, ...)
//! is re-created in every block that follows it (127 of them before 99,000 `<p>x` took 3.4 GB),
//! wrongly nested ones are cloned, and `<div/>` opens a `<div>` that stays open (99,000 of them
//! nest 99,000 deep and took 29 s). Running the parser itself counts all of these exactly.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use html5ever::tree_builder::{
    ElementFlags, NodeOrText, QuirksMode, TreeBuilder, TreeBuilderOpts, TreeSink, create_element,
};
use html5ever::{Attribute, ExpandedName, QualName, TokenizerResult, local_name, ns};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// What the parser built, as far as it was let run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Elements created, those the parser re-creates or clones included.
    pub elements: usize,
    /// Bytes of the created elements' names and attributes.
    pub bytes: usize,
    /// Bytes of the names and attributes of the start tags written in the text: `bytes` past
    /// this were copied by the parser.
    pub written: usize,
    /// Deepest element, counted from the fragment's top (a top-level element is 1 deep).
    pub depth: usize,
    /// Attributes offered to elements that already exist (a second `<html>` or `<body>` tag
    /// adds its attributes to the first): each is checked against all the element has, so
    /// many of them cost the square of their number.
    pub merged: usize,
    /// Nodes moved out of a table to before it (text or tags outside any cell): each is
    /// placed by finding the table among its parent's children, so many cost a square too.
    pub fostered: usize,
}

impl Shape {
    /// Bytes of names and attributes the parser copied into elements the text never wrote.
    pub fn copied(&self) -> usize {
        self.bytes.saturating_sub(self.written)
    }
}

/// Which bound the parse passed, if it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    Depth,
    Elements,
    Copied,
    Merged,
    Fostered,
}

/// The most attributes merged into existing elements, and the most nodes fostered out of
/// tables, in one document: a story written by hand has none of either.
pub const MAX_MERGED: usize = 256;
/// Each fostered node is placed by scanning the table's earlier siblings (999 after 120,000 took
/// 9.7 s in a debug build), hence a small number.
pub const MAX_FOSTERED: usize = 100;

/// Parse `html` as the sanitiser will, stopping soon after the first bound passed: the input is
/// fed in small pieces and the counts checked between them, so a refused document costs about
/// the work of its first kilobyte past the bound, however long it is.
pub fn measure(html: &str, max_depth: usize, max_elements: usize, max_copied: usize) -> Result<Shape, Over> {
    const PIECE: usize = 1024;
    // As `html5ever::parse_fragment` with ammonia's settings, with the tokens watched on their way.
    let counter = Counter::default();
    let context = create_element(&counter, QualName::new(None, ns!(html), local_name!("div")), vec![]);
    let builder = TreeBuilder::new_for_fragment(counter, context, None, TreeBuilderOpts::default());
    // The context `<div>` and the fragment's `html` are the parser's own, not copies.
    builder.sink.bytes.set(0);
    let opts =
        TokenizerOpts { initial_state: Some(builder.tokenizer_state_for_context_elem(false)), ..Default::default() };
    let tokenizer = Tokenizer::new(Watch { builder, written: Cell::new(0) }, opts);
    let check = |tokenizer: &Tokenizer<Watch>| {
        let watch = &tokenizer.sink;
        let shape = Shape { written: watch.written.get(), ..watch.builder.sink.shape() };
        // The fragment sits in an `html` element of its own: its children are 2 deep.
        if shape.depth.saturating_sub(1) > max_depth {
            Err(Over::Depth)
        } else if shape.elements > max_elements {
            Err(Over::Elements)
        } else if shape.copied() > max_copied {
            Err(Over::Copied)
        } else if shape.merged > MAX_MERGED {
            Err(Over::Merged)
        } else if shape.fostered > MAX_FOSTERED {
            Err(Over::Fostered)
        } else {
            Ok(shape)
        }
    };
    let queue = BufferQueue::default();
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(PIECE);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (piece, after) = rest.split_at(cut);
        rest = after;
        queue.push_back(StrTendril::from_slice(piece));
        while let TokenizerResult::Script(_) = tokenizer.feed(&queue) {}
        check(&tokenizer)?;
    }
    tokenizer.end();
    check(&tokenizer)
}

/// The tree builder, with the bytes of the start tags it is given counted on the way in.
struct Watch {
    builder: TreeBuilder<Handle, Counter>,
    written: Cell<usize>,
}

impl TokenSink for Watch {
    type Handle = Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Handle> {
        if let Token::TagToken(Tag { kind: TagKind::StartTag, name, attrs, .. }) = &token {
            self.written.set(self.written.get() + name.len() + attribute_bytes(attrs));
        }
        self.builder.process_token(token, line_number)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder.adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// A node as the counter knows it: its name (the parser asks for it) and where it hangs.
struct Node {
    name: QualName,
    /// Held strongly, so the chain up to the top stays while the parser holds the node.
    parent: RefCell<Option<Handle>>,
    /// Levels the adoption agency added between this node and the children it had (it moves
    /// them under a new element, which it then appends here; the children are not tracked, so
    /// every child counts one level deeper after that, which can only overcount).
    extra: Cell<usize>,
    /// The deepest level below this node seen so far (so a subtree moved whole is measured).
    height: Cell<usize>,
    annotation_xml_integration_point: bool,
}

type Handle = Rc<Node>;

/// A tree sink that keeps no tree: a node lives only while the parser holds it (on its stack of
/// open elements or its list of formatting elements) or holds one of its descendants.
struct Counter {
    document: Handle,
    elements: Cell<usize>,
    bytes: Cell<usize>,
    depth: Cell<usize>,
    merged: Cell<usize>,
    fostered: Cell<usize>,
}

impl Default for Counter {
    fn default() -> Self {
        Counter {
            document: node(unnamed(), false),
            elements: Cell::new(0),
            bytes: Cell::new(0),
            depth: Cell::new(0),
            merged: Cell::new(0),
            fostered: Cell::new(0),
        }
    }
}

fn unnamed() -> QualName {
    QualName::new(None, ns!(), local_name!(""))
}

fn node(name: QualName, annotation_xml_integration_point: bool) -> Handle {
    Rc::new(Node {
        name,
        parent: RefCell::new(None),
        extra: Cell::new(0),
        height: Cell::new(0),
        annotation_xml_integration_point,
    })
}

fn attribute_bytes(attrs: &[Attribute]) -> usize {
    attrs
        .iter()
        .map(|a| a.name.prefix.as_ref().map_or(0, |p| p.len() + 1) + a.name.local.len() + a.value.len() + 1)
        .sum()
}

/// Levels from the top of `n`'s tree down to `n`.
fn depth_of(n: &Handle) -> usize {
    let (mut depth, mut at) = (0, n.clone());
    loop {
        let Some(parent) = at.parent.borrow().clone() else { return depth };
        depth += 1 + parent.extra.get();
        at = parent;
    }
}

impl Counter {
    fn shape(&self) -> Shape {
        Shape {
            elements: self.elements.get(),
            bytes: self.bytes.get(),
            written: 0,
            depth: self.depth.get(),
            merged: self.merged.get(),
            fostered: self.fostered.get(),
        }
    }

    /// Hang `child` under `parent`: the heights above it grow to hold its subtree, and the
    /// deepest level of that subtree is where it now hangs plus its height.
    fn place(&self, parent: &Handle, child: &NodeOrText<Handle>) {
        let NodeOrText::AppendNode(c) = child else { return };
        *c.parent.borrow_mut() = Some(parent.clone());
        let (mut below, mut at) = (c.height.get(), parent.clone());
        loop {
            let height = below + 1 + at.extra.get();
            if height <= at.height.get() {
                break;
            }
            at.height.set(height);
            let Some(up) = at.parent.borrow().clone() else { break };
            below = height;
            at = up;
        }
        self.depth.set(self.depth.get().max(depth_of(c) + c.height.get()));
    }
}

impl TreeSink for Counter {
    type Handle = Handle;
    type Output = Self;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        self.document.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        target.name.expanded()
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.elements.set(self.elements.get() + 1);
        self.bytes.set(self.bytes.get() + name.local.len() + attribute_bytes(&attrs));
        node(name, flags.mathml_annotation_xml_integration_point)
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        node(unnamed(), false)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        node(unnamed(), false)
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.place(parent, &child);
    }

    fn append_based_on_parent_node(&self, element: &Handle, prev_element: &Handle, child: NodeOrText<Handle>) {
        // Beside `element` when it has a parent, else inside `prev_element` (the spec's rule).
        let parent = element.parent.borrow().clone();
        // Used only to foster nodes out of a table (to before it).
        self.fostered.set(self.fostered.get() + 1);
        match parent {
            Some(parent) => self.place(&parent, &child),
            None => self.place(prev_element, &child),
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        // The template's contents (a fragment of their own) are counted a level inside it.
        let contents = node(unnamed(), false);
        self.place(target, &NodeOrText::AppendNode(contents.clone()));
        contents
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        // A sibling without a parent is not expected; inside it is the deeper guess.
        let parent = sibling.parent.borrow().clone().unwrap_or_else(|| sibling.clone());
        self.fostered.set(self.fostered.get() + 1);
        self.place(&parent, &new_node);
    }

    fn add_attrs_if_missing(&self, _target: &Handle, attrs: Vec<Attribute>) {
        self.bytes.set(self.bytes.get() + attribute_bytes(&attrs));
        self.merged.set(self.merged.get() + attrs.len());
    }

    fn remove_from_parent(&self, target: &Handle) {
        *target.parent.borrow_mut() = None;
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        // The children go under `new_parent`, which the parser then appends to `node`.
        node.extra.set(node.extra.get() + 1);
        new_parent.height.set(new_parent.height.get().max(node.height.get()));
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        handle.annotation_xml_integration_point
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(html: &str) -> Shape {
        measure(html, usize::MAX, usize::MAX, usize::MAX).unwrap()
    }

    #[test]
    fn counts_what_the_parser_builds_not_what_the_file_says() {
        // The parser's own two (the `<div>` the fragment is parsed in, and `html`), then p and b.
        assert_eq!(shape("<p>a <b>b</b></p>").elements, 4);
        assert_eq!(shape("<p>a <b>b</b></p>").depth, 3);
        // `<div/>` is an open `<div>`: three of them nest three deep.
        assert_eq!(shape("<div/><div/><div/>x").depth, 4);
        // Void elements stay empty however they are written.
        assert_eq!(shape("<br/><br><img src=x />").depth, 2);
        // A `<b>` left open is re-created in each paragraph after the one it was opened in.
        assert_eq!(shape(&format!("<p><b id=x>a{}", "<p>x".repeat(10))).elements, 2 + 2 + 10 * 2);
        // Wrongly nested formatting is cloned (the adoption agency).
        assert!(shape("<b><p>x</b>y</p>").elements > 3);
    }

    /// Elements and depth of the tree another sink (scraper's) builds with the same parser.
    fn built(html: &str) -> (usize, usize) {
        let doc = scraper::Html::parse_fragment(html);
        let elements = doc.tree.nodes().filter(|n| n.value().is_element()).count();
        let depth = doc.tree.nodes().filter(|n| n.value().is_element()).map(|n| n.ancestors().count()).max();
        (elements, depth.unwrap_or(0))
    }

    const PIECES: &[&str] = &[
        "<b>",
        "<b id=1>",
        "<b id=2>",
        "</b>",
        "<i>",
        "</i>",
        "<a href=x>",
        "</a>",
        "<em>",
        "</em>",
        "<font color=red>",
        "</font>",
        "<nobr>",
        "<div>",
        "</div>",
        "<div/>",
        "<span/>",
        "<p>",
        "</p>",
        "<li>",
        "<h1>",
        "</h1>",
        "x",
        " ",
        "<br/>",
        "<img src=x>",
        "<table>",
        "<tr>",
        "<td>",
        "</td>",
        "</table>",
        "<select>",
        "<option>",
        "</select>",
        "<svg>",
        "</svg>",
        "<math>",
        "<textarea>",
        "</textarea>",
        "<!-- <b> -->",
        "<template>",
        "</template>",
    ];

    proptest::proptest! {
        /// Whatever the tag soup, the counts are never below what the parser really builds.
        #[test]
        fn never_counts_less_than_the_parser_builds(picks in proptest::collection::vec(0..PIECES.len(), 0..120)) {
            let html: String = picks.iter().map(|&i| PIECES[i]).collect();
            let measured = shape(&html);
            let (elements, depth) = built(&html);
            proptest::prop_assert!(measured.elements >= elements, "{html}: {measured:?} vs {elements}");
            proptest::prop_assert!(measured.depth >= depth, "{html}: {measured:?} vs {depth}");
        }
    }

    #[test]
    fn agrees_with_the_tree_built_for_the_outside_tests_shapes() {
        let reopened = format!("<div>{}</div>{}", "<b id=i>".repeat(5), "<p>x".repeat(50));
        let self_closed = format!("{}x", "<div/>".repeat(50));
        for html in [reopened, self_closed] {
            let (elements, depth) = built(&html);
            let measured = shape(&html);
            assert_eq!((measured.elements, measured.depth), (elements, depth), "{html}");
        }
        // Found by the property below: a template's contents, and the adoption agency moving a
        // block under clones made before they were placed.
        for html in ["<template><br/>", "<a href=x><b><p><a href=x><b>"] {
            let (elements, depth) = built(html);
            let measured = shape(html);
            assert!(measured.elements >= elements && measured.depth >= depth, "{html}: {measured:?}");
        }
    }

    #[test]
    fn stops_at_the_first_bound_passed() {
        assert_eq!(measure(&"<div>".repeat(10), 9, usize::MAX, usize::MAX), Err(Over::Depth));
        assert!(measure(&"<div>".repeat(10), 10, usize::MAX, usize::MAX).is_ok());
        assert_eq!(measure(&"<br>".repeat(10), usize::MAX, 11, usize::MAX), Err(Over::Elements));
        assert!(measure(&"<br>".repeat(10), usize::MAX, 12, usize::MAX).is_ok());
        // Only what the parser copies counts against the last bound: here the `<b>` re-created
        // in the second paragraph, 1 + 5 + 10 + 1 bytes.
        assert!(measure("<p><b title=\"0123456789\">", usize::MAX, usize::MAX, 0).is_ok());
        let twice = "<p><b title=\"0123456789\">a<p>b";
        assert_eq!(measure(twice, usize::MAX, usize::MAX, 16), Err(Over::Copied));
        assert_eq!(measure(twice, usize::MAX, usize::MAX, 17).map(|s| s.copied()), Ok(17));
    }
}
