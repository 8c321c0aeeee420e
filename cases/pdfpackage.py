"""Putting the meeting package together: the agenda's PDF with the attachments' pages,
outline and structure trees added (pikepdf, the Python binding of qpdf).

:func:`cases.pdf.meeting_package_pdf` decides what goes in; this module only merges.
"""

import io
import logging

logger = logging.getLogger(__name__)


def open_pdf(content: bytes):
    import pikepdf

    return pikepdf.open(io.BytesIO(content))


class Package:
    """The package as it is put together with pikepdf (qpdf): the agenda's own PDF, to
    which the other PDFs' pages and structure trees are added.

    Tags (ISO 32000-1, 14.7 and 14.8): the agenda's ``/StructTreeRoot`` stays the
    package's, with its ``/ParentTree`` and its pages' ``/StructParents``. A tagged
    source's top-level structure elements go under a new ``/Part`` element, titled like
    its bookmark, at the end of the agenda's top-level ``/Document`` (else of the root's
    ``/K``); the ``/StructParents`` of its pages and the ``/StructParent`` of
    its annotations and form XObjects are moved up past the package's keys, and its
    ``/ParentTree`` entries are added to the package's under the new keys (one flat
    ``/Nums`` array). Its ``/RoleMap`` and ``/ClassMap`` entries are added where the
    package has none of the same name (the first one wins), its ``/IDTree`` entries
    likewise. Named destinations of a source's links are made explicit (its names would
    clash with the agenda's). An untagged source loses any stray ``/StructParents``
    (keys that would point into the package's tree).
    """

    def __init__(self, first: bytes):
        import pikepdf

        self.pdf = pikepdf.open(io.BytesIO(first))
        self.sources = []  # kept open until written: qpdf copies their streams then
        self.all_tagged = True
        root = self.pdf.Root
        tree = root.get("/StructTreeRoot")
        if tree is None:  # not expected of WeasyPrint's pdf/ua-1, but then one is made
            tree = self.pdf.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array())
            )
            root.StructTreeRoot = tree
            self.all_tagged = False
        self.tree = tree
        kids = tree.get("/K")
        if kids is None:
            tree.K = pikepdf.Array()
        elif not isinstance(kids, pikepdf.Array):
            tree.K = pikepdf.Array([kids])
        # The attachments' parts go into the agenda's one top-level element (WeasyPrint's
        # /Document), which so stands for the whole package: readers (poppler) expect
        # one element at the root of a tagged PDF.
        self.parent = tree
        if len(tree.K) == 1 and isinstance(tree.K[0], pikepdf.Dictionary):
            self.parent = tree.K[0]
            if not isinstance(self.parent.get("/K"), pikepdf.Array):
                kid = self.parent.get("/K")
                self.parent.K = pikepdf.Array([] if kid is None else [kid])
        self.numbers = _flat_tree(tree.get("/ParentTree"), "/Nums")
        self.ids = _flat_tree(tree.get("/IDTree"), "/Names")
        self.next_key = max(
            [int(key) + 1 for key, _value in self.numbers]
            + [int(tree.get("/ParentTreeNextKey", 0))]
        )

    def append(self, source, title: str) -> int:
        """Append the pages (and tags, if any) of the pikepdf ``source``; its first page's
        index in the package."""
        import pikepdf

        first_page = len(self.pdf.pages)
        self.sources.append(source)
        try:
            _explicit_destinations(source)
        except (pikepdf.PdfError, TypeError, ValueError, AttributeError) as error:
            logger.warning("The links of an attachment were left as they are: %r", error)
        tags = _tags_of(source)
        if tags is None:
            self.all_tagged = False
            _renumber_struct_parents(source.pages, None)
            self.pdf.pages.extend(source.pages)
            return first_page
        offset = self.next_key
        _renumber_struct_parents(source.pages, offset)
        self.pdf.pages.extend(source.pages)
        try:
            # One copy of everything the tags name, after the pages: qpdf maps a source's
            # objects once, so the elements' /Pg and /Obj point at the pages just appended.
            copied = self.pdf.copy_foreign(source.make_indirect(tags))
        except pikepdf.PdfError as error:
            logger.warning("The tags of an attachment were left out: %r", error)
            self.all_tagged = False
            _renumber_struct_parents(self.pdf.pages[first_page:], None)
            return first_page
        part = self.pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem,
                S=pikepdf.Name.Part,
                P=self.parent,
                T=pikepdf.String(title),
                K=pikepdf.Array(),
            )
        )
        if "/Lang" in copied:
            part.Lang = copied.Lang
        for kid in copied.K:
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = part
            part.K.append(kid)
        self.parent.K.append(part)
        numbers = copied.Nums
        for index in range(0, len(numbers) - 1, 2):
            key = int(numbers[index]) + offset
            self.numbers.append((key, numbers[index + 1]))
            self.next_key = max(self.next_key, key + 1)
        self.next_key = max(self.next_key, offset + int(copied.NextKey))
        for map_name in ("/RoleMap", "/ClassMap"):
            if map_name not in copied:
                continue
            mine = self.tree.get(map_name)
            if mine is None:
                self.tree[map_name] = mine = pikepdf.Dictionary()
            for key, value in copied[map_name].items():
                if key not in mine:
                    mine[key] = value
        known = {str(key) for key, _value in self.ids}
        names = copied.IDs
        for index in range(0, len(names) - 1, 2):
            if str(names[index]) not in known:
                self.ids.append((names[index], names[index + 1]))
        return first_page

    def finish(self, *, outline, title: str, author: str, language: str) -> bytes:
        """The package's bytes, with its outline, metadata, language and viewer settings."""
        import pikepdf

        pdf, tree = self.pdf, self.tree
        self.numbers.sort(key=lambda entry: entry[0])
        nums = pikepdf.Array()
        for key, value in self.numbers:
            nums.append(key)
            nums.append(value)
        tree.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
        tree.ParentTreeNextKey = self.next_key
        if self.ids:
            self.ids.sort(key=lambda entry: bytes(entry[0]))
            names = pikepdf.Array()
            for key, value in self.ids:
                names.append(key)
                names.append(value)
            tree.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))

        root = pdf.Root
        root.MarkInfo = pikepdf.Dictionary(Marked=True)
        preferences = root.get("/ViewerPreferences")
        if preferences is None:
            root.ViewerPreferences = preferences = pikepdf.Dictionary()
        preferences.DisplayDocTitle = True
        root.Lang = pikepdf.String(language)

        with pdf.open_outline() as bookmarks:
            bookmarks.root.clear()  # WeasyPrint's headings of the agenda: one per item instead
            bookmarks.root.extend(_outline_items(pdf, outline))

        pdf.docinfo["/Title"] = pikepdf.String(title)
        pdf.docinfo["/Author"] = pikepdf.String(author)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
            metadata["dc:title"] = title
            metadata["dc:creator"] = [author]
            if not self.all_tagged and _PDFUA_PART in metadata:
                del metadata[_PDFUA_PART]  # untagged content in it: not PDF/UA

        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()

    def close(self) -> None:
        for source in self.sources:
            source.close()
        self.pdf.close()


_PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"


def _outline_items(pdf, entries):
    import pikepdf

    items = []
    for title, page, children in entries:
        item = pikepdf.OutlineItem(title, pikepdf.make_page_destination(pdf, page, "Fit"))
        item.children.extend(_outline_items(pdf, children))
        items.append(item)
    return items


def _flat_tree(node, leaves: str, depth: int = 0) -> list:
    """The (key, value) pairs of a number tree (``/Nums``) or name tree (``/Names``),
    from all of its ``/Kids``, in one list."""
    if node is None or depth > 32:
        return []
    entries = []
    values = node.get(leaves)
    if values is not None:
        entries.extend((values[i], values[i + 1]) for i in range(0, len(values) - 1, 2))
    for kid in node.get("/Kids", ()):
        entries.extend(_flat_tree(kid, leaves, depth + 1))
    return entries


def _tags_of(source):
    """What a source's tags bring to the package, as one dictionary of its own objects
    (``/K``: top-level elements, ``/Nums``: flat parent tree, ``/NextKey``, ``/RoleMap``,
    ``/ClassMap``, ``/IDs``, ``/Lang``); None when it has no structure tree (or one
    that cannot be read, logged)."""
    import pikepdf

    tree = source.Root.get("/StructTreeRoot")
    if not isinstance(tree, pikepdf.Dictionary) or "/K" not in tree:
        return None
    try:
        kids = tree.K if isinstance(tree.K, pikepdf.Array) else pikepdf.Array([tree.K])
        kids = pikepdf.Array([kid for kid in kids if isinstance(kid, pikepdf.Dictionary)])
        numbers = _flat_tree(tree.get("/ParentTree"), "/Nums")
        nums = pikepdf.Array()
        for key, value in numbers:
            nums.append(int(key))
            nums.append(value)
        next_key = max(
            [int(key) + 1 for key, _value in numbers] + [int(tree.get("/ParentTreeNextKey", 0))]
        )
        ids = pikepdf.Array()
        for key, value in _flat_tree(tree.get("/IDTree"), "/Names"):
            ids.append(key)
            ids.append(value)
        tags = pikepdf.Dictionary(K=kids, Nums=nums, NextKey=next_key, IDs=ids)
        for name in ("/RoleMap", "/ClassMap"):
            if isinstance(tree.get(name), pikepdf.Dictionary):
                tags[name] = tree[name]
        if "/Lang" in source.Root:
            tags.Lang = source.Root.Lang
    except (pikepdf.PdfError, TypeError, ValueError, AttributeError) as error:
        logger.warning("The tags of an attachment could not be read: %r", error)
        return None
    if not kids:
        return None
    return tags


def _renumber_struct_parents(pages, offset: int | None) -> None:
    """Move the keys of the pages and their annotations and form XObjects into the
    parent tree up by ``offset``; with None, remove them (a source without tags)."""
    import pikepdf

    seen = set()

    def renumber(obj) -> bool:
        if obj.is_indirect:
            if obj.objgen in seen:
                return False
            seen.add(obj.objgen)
        for key in ("/StructParents", "/StructParent"):
            if key in obj:
                if offset is None:
                    del obj[key]
                else:
                    obj[key] = int(obj[key]) + offset
        return True

    def xobjects(resources, depth=0) -> None:
        if not isinstance(resources, pikepdf.Dictionary) or depth > 16:
            return
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form" and renumber(xobject):
                xobjects(xobject.get("/Resources"), depth + 1)

    for page in pages:
        renumber(page.obj)
        for annotation in page.obj.get("/Annots", ()):
            renumber(annotation)
        xobjects(page.obj.get("/Resources"))


def _explicit_destinations(source) -> None:
    """Link annotations of the source that go to one of its named destinations go to
    the page itself instead (the names are the source's; the package has its own)."""
    import pikepdf

    names = {}
    dests = source.Root.get("/Names", {}).get("/Dests") if "/Names" in source.Root else None
    for key, value in _flat_tree(dests, "/Names"):
        names[bytes(key)] = value
    for key, value in (source.Root.get("/Dests") or {}).items():  # PDF 1.1 style
        names[str(key)[1:].encode()] = value
    if not names:
        return

    def explicit(dest):
        if isinstance(dest, pikepdf.String | pikepdf.Name):
            name = bytes(dest) if isinstance(dest, pikepdf.String) else str(dest)[1:].encode()
            target = names.get(name)
            if isinstance(target, pikepdf.Dictionary):
                target = target.get("/D")
            if isinstance(target, pikepdf.Array):
                return target
        return None

    for page in source.pages:
        for annotation in page.obj.get("/Annots", ()):
            if annotation.get("/Subtype") != "/Link":
                continue
            target = explicit(annotation.get("/Dest"))
            if target is not None:
                annotation.Dest = target
            action = annotation.get("/A")
            if isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo":
                target = explicit(action.get("/D"))
                if target is not None:
                    action.D = target
