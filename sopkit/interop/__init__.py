"""Exchange with other tools' formats, and writing sopkit's own files from data.

    filedata.py   a loaded process (and its settings) back in the file format's shape
    yamltext.py   that shape written as a readable process file
    rolesfile.py  roles added to a team's roles.yaml without rewriting it (an import's,
                  a library copy's)
    bpmn/         BPMN 2.0 with BPSim scenario data (export and import)

Exporters read the model and the layout like renderers do; importers produce
the file format's data and check it with the loader's own rules, so nothing an
import writes is a file sopkit would refuse.
"""
