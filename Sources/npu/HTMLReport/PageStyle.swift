/// The report's one `<style>` element: system fonts only (no web fonts), zebra tables with
/// right-aligned tabular numbers, plots scaled to the column's full width, and the sort
/// indicators that appear once `SortScript` has made the table sortable.
enum PageStyle {
    static let css = """
        :root { --fg: #1f2328; --muted: #59636e; --line: #d8dee4; --zebra: #f6f8fa; --accent: #0072b2; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #ffffff; color: var(--fg);
               font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
        main { max-width: 1280px; margin: 0 auto; padding: 20px 32px 40px; }
        header.page { border-bottom: 1px solid var(--line); padding-bottom: 10px; }
        h1 { font-size: 28px; line-height: 1.25; margin: 6px 0 4px; }
        h2 { font-size: 20px; margin: 28px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        .subtitle { color: var(--muted); margin: 0 0 8px; }
        nav.contents a { color: var(--accent); text-decoration: none; margin-right: 18px; font-size: 14px; }
        nav.contents a:hover { text-decoration: underline; }
        .columns { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 7fr); gap: 0 40px; }
        @media (max-width: 1000px) { .columns { grid-template-columns: minmax(0, 1fr); } }
        .cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px; margin-bottom: 14px; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; background: var(--zebra); }
        .card-label { color: var(--muted); font-size: 13px; }
        .card-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        table.facts { width: 100%; font-size: 14px; }
        table.facts th { text-align: left; font-weight: 600; color: var(--muted); padding: 4px 16px 4px 0;
                         vertical-align: top; white-space: nowrap; }
        table.facts td { padding: 4px 0; border-bottom: 1px solid var(--zebra); }
        table.layers, table.engines { width: 100%; font-size: 13.5px; }
        table.layers th, table.layers td, table.engines th, table.engines td { padding: 4px 10px; white-space: nowrap;
                                                                               border-bottom: 1px solid var(--line); }
        table.layers thead th, table.engines thead th { position: sticky; top: 0; background: #ffffff; text-align: left;
                                                        border-bottom: 2px solid var(--fg); }
        table.layers tbody tr:nth-child(even), table.engines tbody tr:nth-child(even) { background: var(--zebra); }
        table.layers tbody tr:hover { background: #e8f1fa; }
        table .num, table thead th.num { text-align: right; }
        table tbody th { text-align: left; font-weight: 600; }
        td.name { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
        tr.host td { color: #8a5a00; }
        table.layers tbody tr.host { background: #fff6e5; }
        td.bound-memory { color: #b24a00; }
        td.bound-latency { color: #8f3f71; }
        .share { display: inline-block; min-width: 4.2em; color: var(--muted); font-size: 12px; margin-left: 6px; }
        .table-scroll { overflow-x: auto; }
        figure.plot { margin: 0 0 26px; }
        figure.plot svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
        figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
        .verdict { font-size: 16px; margin: 0 0 4px; }
        .badge { display: inline-block; padding: 1px 10px; margin-right: 8px; border-radius: 999px; font-size: 13px; font-weight: 600; }
        .badge.pass { background: #dafbe1; color: #116329; }
        .badge.fail { background: #ffebe9; color: #a40e26; }
        .badge.neutral { background: #eef1f4; color: var(--muted); }
        .note { color: var(--muted); font-size: 13px; }
        table.sortable.ready thead th { cursor: pointer; user-select: none; }
        table.sortable.ready thead th::after { content: " \\2195"; color: #b0b7bf; font-size: 11px; }
        table.sortable.ready thead th[aria-sort="ascending"]::after { content: " \\25B2"; color: var(--fg); }
        table.sortable.ready thead th[aria-sort="descending"]::after { content: " \\25BC"; color: var(--fg); }
        footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
        @media print { table.layers thead th { position: static; } }
        """
}
