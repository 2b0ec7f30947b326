// Opens every XHTML document of an unpacked EPUB in headless Chromium, as a
// phone (400 px) and a tablet (800 px) would, and checks what a reader sees:
// nothing wider than the screen, note markers that never touch, markers at
// least 24 px to tap (WCAG 2.2 SC 2.5.8) that leave the line pitch alone.
// Screenshots go to OUT_DIR for people to look at.
// usage: node epub_reader.js NODE_MODULES_DIR UNPACKED_EPUB_DIR OUT_DIR
'use strict';
const path = require('path');
const fs = require('fs');
const [modules, root, outDir] = process.argv.slice(2);
const puppeteer = require(path.join(modules, 'puppeteer'));

// Runs in the page: every finding as a string.
async function inspect(width) {
  const found = [];
  // embedded fonts (epub-fonts: embed) load: the browser's sanitizer takes the subsets
  await Promise.all([...document.fonts].map(f => f.load().catch(() => null)));
  for (const f of document.fonts)
    if (f.status !== 'loaded') found.push(`font ${f.family} did not load (${f.status})`);
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth)
    found.push(`page ${doc.scrollWidth} px wide at ${width} px`);
  // the widest offenders, so a failure says what to fix
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 0.5 && getComputedStyle(el).position !== 'fixed') {
      let p = el.parentElement, clipped = false;
      for (; p && p !== document.body; p = p.parentElement)
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) clipped = true;
      if (!clipped) found.push(`<${el.localName}> ends at ${Math.round(r.right)} px: ` +
                               el.textContent.slice(0, 40).replace(/\s+/g, ' '));
    }
  }
  const refs = [...document.querySelectorAll('a')].filter(
      a => (a.getAttributeNS('http://www.idpf.org/2007/ops', 'type') || '').includes('noteref'));
  for (let i = 1; i < refs.length; i++) {
    const r = document.createRange();
    r.setStartAfter(refs[i - 1]);
    r.setEndBefore(refs[i]);
    if (r.toString().trim() === '')
      found.push(`note markers ${refs[i - 1].textContent} and ${refs[i].textContent} touch: ` +
                 refs[i].parentElement.textContent.slice(0, 30));
  }
  for (const a of refs) {
    const r = a.getBoundingClientRect();
    if (r.width < 23.5 || r.height < 23.5)
      found.push(`note marker ${a.textContent} is ${r.width.toFixed(1)}x${r.height.toFixed(1)} px`);
  }
  // a paragraph is a whole number of lines of its own line height: markers,
  // emphasis dots and other faces leave the pitch alone
  for (const p of document.querySelectorAll('p')) {
    if (p.querySelector('img, br, svg, math') || !p.textContent.trim()) continue;
    const lh = parseFloat(getComputedStyle(p).lineHeight);
    const cs = getComputedStyle(p);
    const h = p.getBoundingClientRect().height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    const lines = Math.round(h / lh);
    if (!(lh > 0) || Math.abs(h - lines * lh) > 1.5)
      found.push(`uneven line pitch: ${h.toFixed(1)} px is not ${lines} x ${lh} px: ` +
                 p.textContent.slice(0, 30));
  }
  return found.slice(0, 12);
}

async function main() {
  const browser = await puppeteer.launch({executablePath: '/usr/bin/chromium',
                                          args: ['--no-sandbox', '--disable-gpu']});
  const page = await browser.newPage();
  const docs = [];
  (function walk(dir) {
    for (const f of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.xhtml')) docs.push(p);
    }
  })(root);
  let failures = 0, checked = 0;
  fs.mkdirSync(outDir, {recursive: true});
  // GHB_READER_WIDTHS="360" checks other screens (mathbook.sh: a small phone)
  const widths = (process.env.GHB_READER_WIDTHS || '400,800').split(',').map(Number);
  for (const width of widths) {
    await page.setViewport({width, height: 800});
    for (const file of docs) {
      await page.goto('file://' + file, {waitUntil: 'load'});
      const found = await page.evaluate(inspect, width);
      checked++;
      const name = path.relative(root, file);
      for (const f of found) console.log(`FAIL: ${name} at ${width} px: ${f}`);
      failures += found.length ? 1 : 0;
      if (width !== widths[0]) continue;
      const base = path.join(outDir, path.basename(file, '.xhtml'));
      await page.screenshot({path: `${base}-${width}.png`});
      // the parts that went wrong on small screens before: tables, notes
      for (const [sel, tag] of [['table', 'table'], ['section.notes, section[role="doc-endnotes"]', 'notes']]) {
        const el = await page.$(sel);
        if (el) await el.screenshot({path: `${base}-${tag}-${width}.png`}).catch(() => {});
      }
    }
  }
  await browser.close();
  console.log(`${checked - failures} passed, ${failures} failed (${docs.length} documents at ${widths.join(' and ')} px)`);
  process.exit(failures ? 1 : 0);
}
main().catch(e => { console.log('FAIL: ' + e); process.exit(1); });
