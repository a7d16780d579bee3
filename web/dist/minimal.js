document.getElementById('run').onclick = async () => {
  const r = await fetch('/graphql', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({query: document.getElementById('q').value})});
  document.getElementById('out').textContent = JSON.stringify(await r.json(), null, 2);
};
