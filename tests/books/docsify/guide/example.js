console.log("embedded code");
