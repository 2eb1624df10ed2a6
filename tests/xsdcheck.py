#!/usr/bin/env python3
"""Validate a feed's podcast: elements against the Podcast Index namespace XML Schema.

Usage: .venv/bin/python tests/xsdcheck.py FEED.xml XSD_DIR [--shipped-only]

XSD_DIR holds the namespace project's podcast.xsd and podcast-wrapper.xsd. As its
podcast-schema.md describes, podcast: elements have no root of their own, so each
top-level podcast: element of the feed (one whose parent is not a podcast: element) is
copied into a <test-wrapper> root and validated against podcast-wrapper.xsd, whose
strict xs:any accepts any element podcast.xsd declares.

podcast.xsd predates much of the namespace, so by default the schema is adjusted:
- ERRATA: where podcast.xsd contradicts the current tag docs (docs/tags/*.md), it is
  patched to follow the docs;
- SUPPLEMENT: the tags it does not declare (guid, medium, txt, ...) are declared from
  their docs. --shipped-only validates with the shipped files alone.
Elements that neither declares are listed under "unchecked", not counted as errors.

Independently of the schema, "spec_errors" lists elements outside the parent the docs
allow (channel or item) and repeats of single-count tags.

Prints one JSON object and exits 0 (exit 2 for bad usage):
  {"valid": bool, "errors": [...], "spec_errors": [...], "checked": {name: count},
   "unchecked": {name: count}, "errata": [...], "supplement": [...]}
"valid" is true when there are no errors and no spec_errors.
"""
import json
import os
import shutil
import sys
import tempfile

from lxml import etree

NS = "https://podcastindex.org/namespace/1.0"
XS = "http://www.w3.org/2001/XMLSchema"

# (what, element name, attribute name): the attribute is optional in the docs.
ERRATA = [
    ("season@name is optional (docs/tags/season.md)", "season", "name"),
    ("locked@owner is optional (docs/tags/locked.md)", "locked", "owner"),
]
# podcast.xsd's location predates the 2025 revision, which added rel and country.
LOCATION_2025 = "location has rel and country (docs/tags/location.md, revised 2025)"
LOCATION_ATTRIBUTES = """<xs:schema xmlns:xs="%s">
  <xs:attribute name="rel"><xs:simpleType><xs:restriction base="xs:string">
    <xs:enumeration value="subject"/><xs:enumeration value="creator"/>
  </xs:restriction></xs:simpleType></xs:attribute>
  <xs:attribute name="country"><xs:simpleType><xs:restriction base="xs:string">
    <xs:pattern value="[A-Z]{2}"/>
  </xs:restriction></xs:simpleType></xs:attribute>
</xs:schema>""" % XS
# podcast.xsd's value holds recipients only; the docs add time splits after them.
VALUE_TIME_SPLITS = "value holds valueTimeSplit elements (docs/tags/value-time-split.md)"

SUPPLEMENT = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:p="%(ns)s"
           targetNamespace="%(ns)s" elementFormDefault="qualified">
  <xs:include schemaLocation="podcast-wrapper.xsd"/>
  <xs:simpleType name="nonBlank128">
    <xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="128"/></xs:restriction>
  </xs:simpleType>
  <xs:element name="guid">
    <xs:simpleType><xs:restriction base="xs:string">
      <xs:pattern value="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"/>
    </xs:restriction></xs:simpleType>
  </xs:element>
  <xs:element name="medium">
    <xs:simpleType><xs:restriction base="xs:string">
      <xs:pattern value="(podcast|music|video|film|audiobook|newsletter|blog|publisher|course)L?|mixed"/>
    </xs:restriction></xs:simpleType>
  </xs:element>
  <xs:element name="txt">
    <xs:complexType><xs:simpleContent><xs:extension base="xs:string">
      <xs:attribute name="purpose"><xs:simpleType><xs:restriction base="xs:string">
        <xs:maxLength value="128"/></xs:restriction></xs:simpleType></xs:attribute>
    </xs:extension></xs:simpleContent></xs:complexType>
  </xs:element>
  <xs:element name="podping">
    <xs:complexType><xs:attribute name="usesPodping" type="xs:boolean"/></xs:complexType>
  </xs:element>
  <xs:element name="remoteItem">
    <xs:complexType>
      <xs:attribute name="feedGuid" type="xs:string" use="required"/>
      <xs:attribute name="feedUrl" type="xs:anyURI"/>
      <xs:attribute name="itemGuid" type="xs:string"/>
      <xs:attribute name="medium" type="xs:string"/>
      <xs:attribute name="title" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="podroll">
    <xs:complexType><xs:sequence>
      <xs:element ref="p:remoteItem" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType>
  </xs:element>
  <xs:element name="trailer">
    <xs:complexType><xs:simpleContent><xs:extension base="p:nonBlank128">
      <xs:attribute name="url" type="xs:anyURI" use="required"/>
      <xs:attribute name="pubdate" use="required"><xs:simpleType><xs:restriction base="xs:string">
        <xs:pattern value="((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}(:\\d{2})? ([+\\-]\\d{4}|[A-Z]{1,3})"/>
      </xs:restriction></xs:simpleType></xs:attribute>
      <xs:attribute name="length" type="xs:nonNegativeInteger"/>
      <xs:attribute name="type" type="xs:string"/>
      <xs:attribute name="season" type="xs:integer"/>
    </xs:extension></xs:simpleContent></xs:complexType>
  </xs:element>
  <xs:element name="license">
    <xs:complexType><xs:simpleContent><xs:extension base="p:nonBlank128">
      <xs:attribute name="url" type="xs:anyURI"/>
    </xs:extension></xs:simpleContent></xs:complexType>
  </xs:element>
  <xs:element name="source">
    <xs:complexType>
      <xs:attribute name="uri" type="xs:anyURI" use="required"/>
      <xs:attribute name="contentType" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="integrity">
    <xs:complexType>
      <xs:attribute name="type" use="required"><xs:simpleType><xs:restriction base="xs:string">
        <xs:enumeration value="sri"/><xs:enumeration value="pgp-signature"/>
      </xs:restriction></xs:simpleType></xs:attribute>
      <xs:attribute name="value" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="valueRecipient">
    <xs:complexType>
      <xs:attribute name="name" type="xs:string"/>
      <xs:attribute name="customKey" type="xs:string"/>
      <xs:attribute name="customValue" type="xs:string"/>
      <xs:attribute name="type" type="xs:string" use="required"/>
      <xs:attribute name="address" type="xs:string" use="required"/>
      <xs:attribute name="split" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="fee" type="xs:boolean"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="valueTimeSplit">
    <xs:complexType>
      <xs:choice>
        <xs:element ref="p:remoteItem"/>
        <xs:element ref="p:valueRecipient" maxOccurs="unbounded"/>
      </xs:choice>
      <xs:attribute name="startTime" type="xs:decimal" use="required"/>
      <xs:attribute name="duration" type="xs:decimal" use="required"/>
      <xs:attribute name="remoteStartTime" type="xs:decimal"/>
      <xs:attribute name="remotePercentage" type="xs:decimal"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="contentLink">
    <xs:complexType><xs:simpleContent><xs:extension base="xs:string">
      <xs:attribute name="href" type="xs:anyURI" use="required"/>
    </xs:extension></xs:simpleContent></xs:complexType>
  </xs:element>
  <xs:element name="image">
    <xs:complexType>
      <xs:attribute name="href" type="xs:anyURI" use="required"/>
      <xs:attribute name="alt" type="xs:string"/>
      <xs:attribute name="aspect-ratio"><xs:simpleType><xs:restriction base="xs:string">
        <xs:pattern value="[0-9]+([.][0-9]+)?( ?/ ?[0-9]+([.][0-9]+)?)?"/>
      </xs:restriction></xs:simpleType></xs:attribute>
      <xs:attribute name="width" type="xs:positiveInteger"/>
      <xs:attribute name="height" type="xs:positiveInteger"/>
      <xs:attribute name="type" type="xs:string"/>
      <xs:attribute name="purpose" type="p:nonBlank128"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="alternateEnclosure">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="p:integrity" minOccurs="0"/>
        <xs:element ref="p:source" maxOccurs="unbounded"/>
        <xs:element ref="p:integrity" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="type" type="xs:string" use="required"/>
      <xs:attribute name="length" type="xs:nonNegativeInteger"/>
      <xs:attribute name="bitrate" type="xs:decimal"/>
      <xs:attribute name="height" type="xs:positiveInteger"/>
      <xs:attribute name="lang" type="xs:language"/>
      <xs:attribute name="title" type="xs:string"/>
      <xs:attribute name="rel" type="xs:string"/>
      <xs:attribute name="codecs" type="xs:string"/>
      <xs:attribute name="default" type="xs:boolean"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="block">
    <xs:complexType><xs:simpleContent><xs:extension base="p:yesNo">
      <xs:attribute name="id" type="xs:string"/>
    </xs:extension></xs:simpleContent></xs:complexType>
  </xs:element>
  <xs:simpleType name="yesNo">
    <xs:restriction base="xs:string"><xs:enumeration value="yes"/><xs:enumeration value="no"/></xs:restriction>
  </xs:simpleType>
  <xs:element name="updateFrequency">
    <xs:complexType><xs:simpleContent><xs:extension base="p:nonBlank128">
      <xs:attribute name="complete" type="xs:boolean"/>
      <xs:attribute name="dtstart"><xs:simpleType><xs:union memberTypes="xs:date xs:dateTime"/></xs:simpleType></xs:attribute>
      <xs:attribute name="rrule" type="xs:string"/>
    </xs:extension></xs:simpleContent></xs:complexType>
  </xs:element>
  <xs:element name="publisher">
    <xs:complexType><xs:sequence>
      <xs:element ref="p:remoteItem"/>
    </xs:sequence></xs:complexType>
  </xs:element>
  <xs:element name="chat">
    <xs:complexType>
      <xs:attribute name="server" type="xs:string" use="required"/>
      <xs:attribute name="protocol" type="xs:string" use="required"/>
      <xs:attribute name="accountId" type="xs:string"/>
      <xs:attribute name="space" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="liveItem">
    <xs:complexType>
      <xs:sequence>
        <xs:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="status" use="required"><xs:simpleType><xs:restriction base="xs:string">
        <xs:enumeration value="pending"/><xs:enumeration value="live"/><xs:enumeration value="ended"/>
      </xs:restriction></xs:simpleType></xs:attribute>
      <xs:attribute name="start" type="p:isoDateTime" use="required"/>
      <xs:attribute name="end" type="p:isoDateTime"/>
    </xs:complexType>
  </xs:element>
  <xs:simpleType name="isoDateTime">
    <xs:restriction base="xs:string">
      <xs:pattern value="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+\-]\d{2}:?\d{2})"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:element name="socialInteract">
    <xs:complexType>
      <xs:attribute name="protocol" type="xs:string" use="required"/>
      <xs:attribute name="uri" type="xs:anyURI"/>
      <xs:attribute name="accountId" type="xs:string"/>
      <xs:attribute name="accountUrl" type="xs:anyURI"/>
      <xs:attribute name="priority" type="xs:integer"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
""" % {"ns": NS}

# Where each tag may appear (docs/tags/*.md, "Parent"), and the tags allowed once per parent.
PARENTS = {
    "channel": {"guid", "locked", "funding", "medium", "trailer", "podroll", "podping",
                "person", "location", "license", "txt", "value", "images", "image",
                "block", "updateFrequency", "publisher", "remoteItem", "chat", "socialInteract",
                "liveItem"},
    "item": {"transcript", "chapters", "soundbite", "season", "episode", "alternateEnclosure",
             "person", "location", "license", "txt", "value", "images", "image", "funding",
             "contentLink", "chat", "socialInteract"},
}
# A live item may hold every tag an item may (docs/tags/live-item.md).
PARENTS["liveItem"] = PARENTS["item"]
SINGLE = {"guid", "locked", "medium", "podping", "podroll", "license", "season", "episode",
          "chapters", "updateFrequency", "publisher", "chat"}


def local(el):
    return etree.QName(el).localname


def build_schema(xsd_dir, shipped_only, tmp):
    """Copies the schema into tmp, adjusted unless shipped_only; returns (schema, errata, supplement)."""
    for name in ("podcast.xsd", "podcast-wrapper.xsd"):
        shutil.copy(os.path.join(xsd_dir, name), os.path.join(tmp, name))
    if shipped_only:
        return etree.XMLSchema(etree.parse(os.path.join(tmp, "podcast-wrapper.xsd"))), [], []
    path = os.path.join(tmp, "podcast.xsd")
    tree = etree.parse(path)
    applied = []
    for what, element, attribute in ERRATA:
        xpath = "/xs:schema/xs:element[@name=$e]//xs:attribute[@name=$a][@use='required']"
        for attr in tree.xpath(xpath, namespaces={"xs": XS}, e=element, a=attribute):
            attr.set("use", "optional")
            applied.append(what)
    extensions = "/xs:schema/xs:element[@name='location']//xs:extension"
    for ext in tree.xpath(extensions, namespaces={"xs": XS}):
        for attr in etree.fromstring(LOCATION_ATTRIBUTES.encode()):
            if isinstance(attr.tag, str):
                ext.append(attr)
        applied.append(LOCATION_2025)
    sequences = "/xs:schema/xs:element[@name='value']/xs:complexType/xs:sequence"
    for seq in tree.xpath(sequences, namespaces={"xs": XS}):
        etree.SubElement(seq, "{%s}element" % XS, ref="valueTimeSplit", minOccurs="0",
                         maxOccurs="unbounded")
        applied.append(VALUE_TIME_SPLITS)
    tree.write(path)
    supplement = os.path.join(tmp, "supplement.xsd")
    with open(supplement, "w", encoding="utf-8") as f:
        f.write(SUPPLEMENT)
    declared = sorted(
        e.get("name") for e in etree.fromstring(SUPPLEMENT.encode()).iterfind("{%s}element" % XS)
    )
    return etree.XMLSchema(etree.parse(supplement)), applied, declared


def declared_names(schema_dir):
    names = set()
    for name in os.listdir(schema_dir):
        if name.endswith(".xsd"):
            root = etree.parse(os.path.join(schema_dir, name)).getroot()
            names.update(e.get("name") for e in root.iterfind("{%s}element" % XS))
    names.discard("test-wrapper")
    return names


def spec_errors(doc):
    errors = []
    for parent in doc.iter("channel", "item", "{%s}liveItem" % NS):
        where = local(parent)
        seen = {}
        for el in parent:
            if not isinstance(el.tag, str) or etree.QName(el).namespace != NS:
                continue
            name = local(el)
            seen[name] = seen.get(name, 0) + 1
            if name not in PARENTS[where] and any(name in p for p in PARENTS.values()):
                errors.append("line %d: podcast:%s is not allowed in <%s>" % (el.sourceline, name, where))
        for name, n in sorted(seen.items()):
            if name in SINGLE and n > 1:
                errors.append("line %d: podcast:%s appears %d times in one <%s>"
                              % (parent.sourceline, name, n, where))
    return errors


def check(feed, xsd_dir, shipped_only):
    try:
        doc = etree.parse(feed, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return {"valid": False, "errors": ["not well-formed: %s" % exc], "spec_errors": []}
    with tempfile.TemporaryDirectory(prefix="xsdcheck-") as tmp:
        schema, errata, supplement = build_schema(xsd_dir, shipped_only, tmp)
        declared = declared_names(tmp)
    errors, checked, unchecked = [], {}, {}
    for el in doc.iter("{%s}*" % NS):
        parent = el.getparent()
        if parent is not None and etree.QName(parent).namespace == NS:
            continue  # validated with its parent
        name = local(el)
        if name not in declared:
            unchecked[name] = unchecked.get(name, 0) + 1
            continue
        checked[name] = checked.get(name, 0) + 1
        wrapper = etree.Element("{%s}test-wrapper" % NS, nsmap={"podcast": NS})
        copy = etree.fromstring(etree.tostring(el, with_tail=False))
        wrapper.append(copy)
        if not schema.validate(etree.ElementTree(wrapper)):
            for e in schema.error_log:
                errors.append("line %d: podcast:%s: %s" % (el.sourceline, name, e.message))
    spec = spec_errors(doc)
    return {
        "valid": not errors and not spec,
        "errors": errors,
        "spec_errors": spec,
        "checked": checked,
        "unchecked": unchecked,
        "errata": errata,
        "supplement": supplement,
    }


def main(argv):
    args = [a for a in argv[1:] if a != "--shipped-only"]
    if len(args) != 2:
        print("usage: xsdcheck.py FEED.xml XSD_DIR [--shipped-only]", file=sys.stderr)
        return 2
    result = check(args[0], args[1], "--shipped-only" in argv[1:])
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
