#!/usr/bin/env python3
"""Fills the English singular and plural of each "(s)" string in a plural-only .ts file written by lupdate.

"%n row(s)" becomes "%n row" and "%n rows". A string that spells no "(s)" (say "<redacted, %n bytes>",
which must read the same for every count) is left unfinished, so lrelease leaves it out and Qt shows
the source as it is.
"""
import sys
import xml.etree.ElementTree as ET


def main(path):
    tree = ET.parse(path)
    for message in tree.iter("message"):
        if message.get("numerus") != "yes":
            continue
        source = message.findtext("source")
        translation = message.find("translation")
        forms = translation.findall("numerusform")
        if "(s)" not in source or len(forms) != 2:
            continue
        forms[0].text = source.replace("(s)", "")
        forms[1].text = source.replace("(s)", "s")
        translation.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
        out.write(b"\n")


if __name__ == "__main__":
    main(sys.argv[1])
