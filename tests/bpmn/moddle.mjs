// Reads each BPMN file with bpmn-moddle (the model bpmn-js and Camunda Modeler use)
// and prints one JSON line per file: its import warnings, or the error that stopped it.
import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';

const moddle = new BpmnModdle();
for (const file of process.argv.slice(2)) {
  const xml = readFileSync(file, 'utf8');
  try {
    const { warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
    console.log(JSON.stringify({ file, warnings: warnings.map((w) => String(w.message)) }));
  } catch (error) {
    console.log(JSON.stringify({ file, error: String(error.message) }));
  }
}
