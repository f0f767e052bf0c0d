// Packs JsSIP's CommonJS sources (node_modules/jssip/lib, as npm ci installed and checked them) and its three
// dependencies into one browser script that defines window.JsSIP. A minimal CommonJS loader: no transpiling,
// no minifying, the modules' text is wrapped unchanged. JsSIP's npm package ships no browser bundle of its own.
//
//   node bundle-jssip.cjs OUT_FILE
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "node_modules");
const modules = new Map(); // absolute path -> { id, deps: {request: id} }
const order = [];

function packageEntry(name) {
  const dir = path.join(root, name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const browser = typeof pkg.browser === "string" ? pkg.browser : null;
  return resolveFile(path.join(dir, browser || pkg.main || "index.js"));
}

function resolveFile(p) {
  for (const candidate of [p, p + ".js", p + ".json", path.join(p, "index.js")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error("cannot resolve " + p);
}

function add(file) {
  if (modules.has(file)) return modules.get(file).id;
  const entry = { id: order.length, deps: {}, file };
  modules.set(file, entry);
  order.push(entry);
  if (file.endsWith(".js")) {
    const source = fs.readFileSync(file, "utf8");
    for (const m of source.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const request = m[1];
      const target = request.startsWith(".") ? resolveFile(path.resolve(path.dirname(file), request)) : packageEntry(request);
      entry.deps[request] = add(target);
    }
  }
  return entry.id;
}

const main = add(packageEntry("jssip"));
let out = "(function () {\nvar defs = [];\n";
for (const entry of order) {
  const text = fs.readFileSync(entry.file, "utf8");
  const body = entry.file.endsWith(".json") ? "module.exports = " + text + ";" : text;
  out += "// " + path.relative(root, entry.file) + "\n";
  out += "defs[" + entry.id + "] = [" + JSON.stringify(entry.deps) + ", function (require, module, exports) {\n" + body + "\n}];\n";
}
out += `var cache = {};
function load(id) {
  if (cache[id]) return cache[id].exports;
  var module = cache[id] = { exports: {} };
  var deps = defs[id][0];
  defs[id][1](function (request) {
    if (!(request in deps)) throw new Error("not bundled: " + request);
    return load(deps[request]);
  }, module, module.exports);
  return module.exports;
}
var process = { env: {} };
window.JsSIP = load(${main});
})();
`;
fs.writeFileSync(process.argv[2], out);
console.log(JSON.stringify({ bundled: order.length, bytes: out.length }));
