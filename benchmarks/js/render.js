// The JavaScript peers for benchmarks/peers.py, each used as its documentation says.
//
// One process, many renders: peers.py writes one JSON command per line on stdin
// ({"tool", "template", "data", "out"}) and reads back one JSON line with the
// milliseconds the render took, measured here from data in memory to the .docx
// bytes (node's start-up and the JSON parse are not counted, as docgen's
// import is not). "out" (optional) keeps the .docx for the text check.
//
// docxtemplater: a new Docxtemplater per document from the template's zip bytes
// read once (its documented usage: new PizZip(content), new Docxtemplater(zip,
// {paragraphLoop, linebreaks}), render(data), generate({type: "nodebuffer"})).
// Carbone 3: carbone.render(templatePath, data, options, callback) — Carbone 3
// keeps no compiled-template cache of its own, so each render reads the file.
"use strict";
const fs = require("fs");
const readline = require("readline");
const PizZip = require("pizzip");
const Docxtemplater = require("docxtemplater");
const carbone = require("carbone");

const templates = new Map(); // path -> bytes, read once
const datasets = new Map(); // path -> parsed data, read once

function cached(map, key, load) {
  if (!map.has(key)) map.set(key, load(key));
  return map.get(key);
}

function docxtemplater(job) {
  const content = cached(templates, job.template, (p) => fs.readFileSync(p));
  const data = cached(datasets, job.data, (p) => JSON.parse(fs.readFileSync(p, "utf8")));
  const start = process.hrtime.bigint();
  const doc = new Docxtemplater(new PizZip(content), { paragraphLoop: true, linebreaks: true });
  doc.render(data);
  const out = doc.getZip().generate({ type: "nodebuffer", compression: "DEFLATE" });
  return Promise.resolve([Number(process.hrtime.bigint() - start) / 1e6, out]);
}

function carboneRender(job) {
  const data = cached(datasets, job.data, (p) => JSON.parse(fs.readFileSync(p, "utf8")));
  const options = job.convertTo ? { convertTo: job.convertTo } : {};
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    carbone.render(job.template, data, options, (err, out) => {
      if (err) return reject(new Error(String(err)));
      resolve([Number(process.hrtime.bigint() - start) / 1e6, out]);
    });
  });
}

const tools = { docxtemplater, carbone: carboneRender };

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on("line", (line) => {
  queue = queue.then(async () => {
    const job = JSON.parse(line);
    if (job.tool === "start-pdf") {
      carbone.set({ factories: 1, startFactory: true });
      process.stdout.write(JSON.stringify({ ok: true }) + "\n");
      return;
    }
    try {
      const [ms, out] = await tools[job.tool](job);
      if (job.out) fs.writeFileSync(job.out, out);
      process.stdout.write(JSON.stringify({ ms }) + "\n");
    } catch (err) {
      process.stdout.write(JSON.stringify({ error: String(err && err.message || err) }) + "\n");
    }
  });
});
lines.on("close", () => queue.then(() => process.exit(0)));
